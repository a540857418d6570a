"""社保: insurance status, the insurance certificate (参保证明), contribution history
(缴费记录) and pension payments (养老金发放)."""

from __future__ import annotations

from common.privacy import mask_name
from kiosk.controller import KioskController
from kiosk.i18n import local
from kiosk.printing.printable import certificate_job
from kiosk.records import Listing, RecordsView, Row, Translate, show_records, yuan
from kiosk.services.social_security import (
    ContributionHistory,
    PensionPayments,
    SocialSecurityService,
)

ERRORS = {"not_found": "ss.not_found", "default": "ss.error"}


class SocialSecurityFlow:
    department = "social-security"

    def __init__(self, ctl: KioskController, service: SocialSecurityService) -> None:
        self.ctl = ctl
        self.service = service

    def open(self) -> None:
        self.ctl.query(
            "ss.insurance_status", "insurance", "ss_status", self.service.insurance_status, ERRORS
        )

    def print_certificate(self) -> None:
        font = str(self.ctl.config.display.font)
        printer = self.ctl.config.devices.printer  # its profile: own font + QR, or raster
        self.ctl.print_document(
            "ss.certificate",
            "ss_status",
            lambda id_number: certificate_job(
                self.service.issue_certificate(id_number), printer, font
            ),
        )

    def contributions(self) -> None:
        view = RecordsView("ss.contrib.title", present_contributions, back="ss_status")
        show_records(self.ctl, "ss.contributions", view, self.service.contributions, ERRORS)

    def pensions(self) -> None:
        view = RecordsView("ss.pension.title", present_pensions, back="ss_status")
        show_records(self.ctl, "ss.pension_payments", view, self.service.pension_payments, ERRORS)


def present_contributions(history: ContributionHistory, t: Translate, _lang: str) -> Listing:
    rows = [
        Row(
            title=m.month + (f"  {t('ss.contrib.back_pay')}" if m.kind == "back_pay" else ""),
            detail=t("ss.contrib.detail", unit=yuan(m.unit_fen), personal=yuan(m.personal_fen)),
            value=yuan(m.unit_fen + m.personal_fen),
            tone="warn" if m.kind == "back_pay" else "",
        )
        for m in history.months
    ]
    summary = t("ss.contrib.summary", name=mask_name(history.holder_name),
                months=len(rows), total=yuan(history.total_personal_fen))
    return Listing(summary, rows, empty=t("ss.contrib.none"))


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
