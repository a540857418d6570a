"""公积金: account and balance, contribution details, the contribution certificate
(缴存证明), loan and repayment schedule, withdrawal progress (提取进度)."""

from __future__ import annotations

from kiosk.controller import KioskController
from kiosk.flows.housing_fund_views import (
    present_contributions,
    present_loans,
    present_withdrawals,
)
from kiosk.printing.printable import certificate_job
from kiosk.records import RecordsView, show_records
from kiosk.services.housing_fund import HousingFundService

ERRORS = {"not_found": "hf.no_account", "default": "hf.error"}
HISTORY_ERRORS = {"default": "hf.error"}  # a known person without an account has empty lists
ACCOUNT_KEY = "hf_account"


class HousingFundFlow:
    department = "housing-fund"

    def __init__(self, ctl: KioskController, service: HousingFundService) -> None:
        self.ctl = ctl
        self.service = service

    def open(self) -> None:
        self.ctl.query("hf.account", ACCOUNT_KEY, "hf_account", self.service.account, ERRORS)

    def contributions(self) -> None:
        view = RecordsView("hf.contrib.title", present_contributions, back="hf_account")
        show_records(self.ctl, "hf.contributions", view, self.service.contributions, ERRORS)

    def loans(self) -> None:
        view = RecordsView("hf.loan.title", present_loans, back="hf_account")
        show_records(self.ctl, "hf.loans", view, self.service.loans, HISTORY_ERRORS)

    def withdrawals(self) -> None:
        view = RecordsView("hf.wd.title", present_withdrawals, back="hf_account")
        show_records(self.ctl, "hf.withdrawals", view, self.service.withdrawals, HISTORY_ERRORS)

    def print_certificate(self) -> None:
        font = str(self.ctl.config.display.font)
        printer = self.ctl.config.devices.printer  # its profile: own font + QR, or raster
        self.ctl.print_document(
            "hf.certificate",
            "hf_account",
            lambda id_number: certificate_job(
                self.service.issue_certificate(id_number), printer, font
            ),
        )
