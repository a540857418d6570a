"""公积金: account and balance, contribution details, the contribution certificate
(缴存证明), loan and repayment schedule, withdrawal progress (提取进度)."""

from __future__ import annotations

from kiosk.controller import KioskController
from kiosk.declaration import Wiring
from kiosk.departments.housing_fund.presenters import (
    present_history,
    present_loans,
    present_withdrawals,
)
from kiosk.departments.housing_fund.service import Account, HousingFundService
from kiosk.departments.housing_fund.state import HousingFundState
from kiosk.records import RecordsView, show_records

ERRORS = {"not_found": "hf.no_account", "default": "hf.error"}
HISTORY_ERRORS = {"default": "hf.error"}  # a known person without an account has empty lists


class HousingFundFlow:
    def __init__(self, ctl: KioskController, service: HousingFundService) -> None:
        self.ctl = ctl
        self.service = service

    @property
    def state(self) -> HousingFundState:
        return self.ctl.session.state(HousingFundState)

    def open(self) -> None:
        self.state.account = None
        self.ctl.query("hf.account", "hf_account", self.service.account, self._keep, ERRORS)

    def _keep(self, account: Account) -> None:
        self.state.account = account

    def contributions(self) -> None:
        view = RecordsView("hf.contrib.title", present_history, back="hf_account")
        show_records(self.ctl, "hf.contributions", view, self.service.contributions, ERRORS)

    def loans(self) -> None:
        view = RecordsView("hf.loan.title", present_loans, back="hf_account")
        show_records(self.ctl, "hf.loans", view, self.service.loans, HISTORY_ERRORS)

    def withdrawals(self) -> None:
        view = RecordsView("hf.wd.title", present_withdrawals, back="hf_account")
        show_records(self.ctl, "hf.withdrawals", view, self.service.withdrawals, HISTORY_ERRORS)

    def print_certificate(self) -> None:
        self.ctl.print_certificate("hf.certificate", "hf_account", self.service.issue_certificate)


def build(wiring: Wiring) -> HousingFundFlow:
    return HousingFundFlow(wiring.ctl, HousingFundService(wiring.client))
