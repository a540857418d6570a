"""What the 社保 screens show: pure functions of the typed answers (no Kivy, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from common.privacy import mask_name, personal
from kiosk.departments.social_security.service import (
    ContributionHistory,
    InsuranceStatus,
    PensionPayments,
)
from kiosk.i18n import local
from kiosk.records import ContributionKeys, Listing, Row, Translate, present_contributions, yuan

CONTRIBUTION_KEYS = ContributionKeys(back_pay="ss.contrib.back_pay", detail="ss.contrib.detail",
                                     summary="ss.contrib.summary", none="ss.contrib.none")


def present_history(history: ContributionHistory, t: Translate, _lang: str) -> Listing:
    return present_contributions(history.holder_name, history.months,
                                 history.total_personal_fen, CONTRIBUTION_KEYS, t)


def present_pensions(pensions: PensionPayments, t: Translate, lang: str) -> Listing:
    rows = [
        Row(p.month, t("ss.pension.detail", date=p.paid_on, bank=local(p.bank, p.bank_en, lang)),
            yuan(p.amount_fen),
            tone="ok")
        for p in pensions.payments
    ]
    if not rows:
        return Listing(t("ss.holder", name=mask_name(pensions.holder_name)),
                       empty=t("ss.pension.none"))
    latest = pensions.payments[0]
    summary = t("ss.pension.summary", name=mask_name(pensions.holder_name),
                amount=yuan(latest.amount_fen), since=pensions.payments[-1].month)
    return Listing(summary, rows)


@personal
@dataclass(frozen=True)
class StatusView:
    """The 社保 screen, ready to show (personal: the holder's name)."""

    holder: str = ""
    rows: tuple[tuple[str, str], ...] = ()  # (insurance, its status line)
    notice: str = ""
    can_print: bool = False
    loaded: bool = False  # the histories need a known person


def present_status(status: InsuranceStatus | None, notice: str, printer_ok: bool,
                   t: Translate, lang: str) -> StatusView:
    """``notice``: the controller's (already in words), "" if none."""
    if status is None:
        return StatusView(notice=notice)
    rows = tuple(
        (local(ins.name_zh, ins.name_en, lang),
         t("ss.row", status=local(ins.status_zh, ins.status_en, lang), since=ins.since,
           months=ins.months))
        for ins in status.insurances
    )
    if not rows:
        notice = t("ss.none")
    elif not printer_ok:
        notice = t("print.printer_down")
    return StatusView(t("ss.holder", name=mask_name(status.holder_name)), rows, notice,
                      can_print=bool(rows) and printer_ok, loaded=True)
