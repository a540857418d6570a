"""What the 排队取号 screen shows: a pure function of the queue state (no Kivy, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from drivers.events import Detail
from kiosk.departments.queue.state import QueueState, TicketOutcome
from kiosk.i18n import local
from kiosk.records import Translate


@dataclass(frozen=True)
class QueueView:
    types: tuple[str, ...] = ()  # one button per business type
    notice: str = ""
    state: str = ""  # "" choosing · "taking" · "issued" · "failed"
    number: str = ""
    detail: str = ""  # the ticket's business, waiting, windows, time
    message: str = ""  # printed, or why not / why no number
    trouble: bool = False  # the message says what went wrong


def present_queue(state: QueueState, notice: str, device_problem: Detail | None,
                  t: Translate, lang: str) -> QueueView:
    """``notice``: the controller's (already in words), "" if none."""
    types = tuple(
        t("queue.type", department=local(b.department_zh, b.department_en, lang),
          name=local(b.name_zh, b.name_en, lang), waiting=b.waiting, windows=b.windows)
        for b in state.types or ()
    )
    outcome = state.outcome
    if outcome is not None:
        return _outcome(types, notice, outcome, t, lang)
    if state.taking:
        return QueueView(types, notice, "taking", message=t("queue.taking"))
    if device_problem and types:
        notice = t("queue.device_down", reason=local(device_problem.zh, device_problem.en, lang))
    return QueueView(types, notice)


def _outcome(types: tuple[str, ...], notice: str, outcome: TicketOutcome, t: Translate,
             lang: str) -> QueueView:
    ticket = outcome.ticket
    if ticket is None:
        problem = outcome.problem
        reason = local(problem.zh, problem.en, lang) if problem else ""
        return QueueView(types, notice, "failed", message=t("queue.no_number", reason=reason),
                         trouble=True)
    b = outcome.business
    detail = t("queue.ticket", department=local(b.department_zh, b.department_en, lang),
               name=local(b.name_zh, b.name_en, lang), waiting=ticket.waiting,
               windows=ticket.windows, at=ticket.taken_at)
    message = t("queue.printed" if outcome.printed else "queue.not_printed")
    return QueueView(types, notice, "issued", ticket.number, detail, message,
                     trouble=not outcome.printed)
