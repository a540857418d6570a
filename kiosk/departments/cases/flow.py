"""办事进度: a case number typed on the keypad, its stages on the records screen with
their supervision lights (电子监察: green on time, yellow near the limit, red late)."""

from __future__ import annotations

from kiosk.controller import KioskController
from kiosk.declaration import Wiring
from kiosk.departments.cases.presenters import present_case
from kiosk.departments.cases.service import CaseService
from kiosk.records import RecordsView, show_records

CASE_DIGITS = 12
ERRORS = {"not_found": "case.not_found", "default": "case.error"}


class CaseFlow:
    def __init__(self, ctl: KioskController, service: CaseService) -> None:
        self.ctl = ctl
        self.service = service

    def open(self) -> None:
        self.ctl.session.choose("case.progress")
        if self.ctl.nav:
            self.ctl.nav.show("case_entry")

    def lookup(self, case_number: str) -> str:
        """Ask for the case; what is wrong with the number ("" if nothing), as a key."""
        if len(case_number) != CASE_DIGITS or not case_number.isdigit():
            return "case.problem.length"
        view = RecordsView("case.title", present_case, back="case_entry")
        show_records(self.ctl, "case.progress", view,
                     lambda _id: self.service.progress(case_number), ERRORS)
        return ""


def build(wiring: Wiring) -> CaseFlow:
    return CaseFlow(wiring.ctl, CaseService(wiring.client))
