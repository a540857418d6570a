"""Long lists as data for the one records screen: contribution months, repayment
schedules, violations, payments.

A flow asks a back end through ``show_records``: the answer lands in the session's
``RecordsState`` next to a ``RecordsView`` saying how to present it. The screen
calls ``present`` on every refresh, in the current language, so a typed answer
stays typed and a language switch needs no second request. No Kivy here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from common.privacy import mask_name, personal


class Translate(Protocol):
    def __call__(self, key: str, _lang: str | None = None, **values: object) -> str: ...


@dataclass(frozen=True)
class Row:
    title: str
    detail: str = ""
    value: str = ""  # right-aligned: an amount, a status
    tone: str = ""  # "ok" | "warn" | "bad" | "": a colour dot; the text says it too
    action: str = ""  # label of the row's button, e.g. "缴纳"; empty: no button


@dataclass(frozen=True)
class Listing:
    summary: str = ""  # one or two lines above the list (may be personal)
    rows: Sequence[Row] = ()
    empty: str = ""  # said instead of the list when there are no rows
    focus: int = 0  # the row the list opens at, e.g. the first instalment not yet paid


@dataclass(frozen=True)
class RecordsView:
    title_key: str  # shown while loading too
    present: Callable[[Any, Translate, str], Listing]  # (answer, t, lang)
    back: str = "home"  # where "back" leads
    act: Callable[[Any, int], None] | None = None  # (answer, row index): a row's button


@personal
@dataclass
class RecordsState:
    """What the records screen shows, in the session: wiped with it."""

    view: RecordsView | None = None
    answer: Any = None  # the typed back-end answer ``view.present`` turns into a Listing


def show_records(
    ctl: Any,
    service: str,
    view: RecordsView,
    job: Callable[[str], Any],
    errors: dict[str, str] | None = None,
) -> None:
    """Ask the back end (``job(id_number)``) and show the answer on the records screen."""
    if ctl.session.citizen is None:
        return
    state = ctl.session.state(RecordsState)
    state.view, state.answer = view, None

    def keep(answer: Any) -> None:
        state.answer = answer

    ctl.query(service, "records", job, keep, errors)


def yuan(fen: int) -> str:
    """12345678 → "123,456.78": amounts travel in fen (integers), never floats."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


@dataclass(frozen=True)
class ContributionKeys:
    """The catalog keys one department's contribution list is worded with."""

    back_pay: str  # the mark of a month paid late (补缴)
    detail: str  # {unit} {personal}
    summary: str  # {name} {months} {total}
    none: str


class ContributionMonth(Protocol):
    month: str
    kind: str  # "regular" | "back_pay"
    unit_fen: int
    personal_fen: int


def present_contributions(holder_name: str, months: Sequence[ContributionMonth],
                          total_fen: int, keys: ContributionKeys, t: Translate) -> Listing:
    """A contribution history (社保缴费, 公积金缴存): one row a month, back pay marked."""
    rows = [
        Row(
            title=m.month + (f"  {t(keys.back_pay)}" if m.kind == "back_pay" else ""),
            detail=t(keys.detail, unit=yuan(m.unit_fen), personal=yuan(m.personal_fen)),
            value=yuan(m.unit_fen + m.personal_fen),
            tone="warn" if m.kind == "back_pay" else "",
        )
        for m in months
    ]
    summary = t(keys.summary, name=mask_name(holder_name), months=len(rows),
                total=yuan(total_fen))
    return Listing(summary, rows, empty=t(keys.none))
