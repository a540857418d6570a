"""社保: insurance status, the insurance certificate (参保证明), contribution history
(缴费记录) and pension payments (养老金发放)."""

from __future__ import annotations

from kiosk.controller import KioskController
from kiosk.declaration import Wiring
from kiosk.departments.social_security.presenters import present_history, present_pensions
from kiosk.departments.social_security.service import InsuranceStatus, SocialSecurityService
from kiosk.departments.social_security.state import SocialSecurityState
from kiosk.records import RecordsView, show_records

ERRORS = {"not_found": "ss.not_found", "default": "ss.error"}


class SocialSecurityFlow:
    def __init__(self, ctl: KioskController, service: SocialSecurityService) -> None:
        self.ctl = ctl
        self.service = service

    @property
    def state(self) -> SocialSecurityState:
        return self.ctl.session.state(SocialSecurityState)

    def open(self) -> None:
        self.state.insurance = None
        self.ctl.query("ss.insurance_status", "ss_status", self.service.insurance_status,
                       self._keep, ERRORS)

    def _keep(self, status: InsuranceStatus) -> None:
        self.state.insurance = status

    def print_certificate(self) -> None:
        self.ctl.print_certificate("ss.certificate", "ss_status", self.service.issue_certificate)

    def contributions(self) -> None:
        view = RecordsView("ss.contrib.title", present_history, back="ss_status")
        show_records(self.ctl, "ss.contributions", view, self.service.contributions, ERRORS)

    def pensions(self) -> None:
        view = RecordsView("ss.pension.title", present_pensions, back="ss_status")
        show_records(self.ctl, "ss.pension_payments", view, self.service.pension_payments, ERRORS)


def build(wiring: Wiring) -> SocialSecurityFlow:
    return SocialSecurityFlow(wiring.ctl, SocialSecurityService(wiring.client))
