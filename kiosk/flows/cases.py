"""办事进度: a case number typed on the keypad, its stages on the records screen with
their supervision lights (电子监察: green on time, yellow near the limit, red late)."""

from __future__ import annotations

from kiosk.controller import KioskController
from kiosk.i18n import local
from kiosk.records import Listing, RecordsView, Row, Translate, show_records
from kiosk.services.cases import CaseProgress, CaseService

CASE_DIGITS = 12
ERRORS = {"not_found": "case.not_found", "default": "case.error"}
TONES = {"green": "ok", "yellow": "warn", "red": "bad"}


class CaseFlow:
    department = "cases"

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


def present_case(case: CaseProgress, t: Translate, lang: str) -> Listing:
    zh = lang == "zh"
    current = next((s for s in case.stages if s.stage == case.current_stage), None)
    where = (current.name_zh if zh else current.name_en) if current else t("case.done")
    summary = "\n".join([
        t("case.matter", matter=case.matter_zh if zh else case.matter_en),
        t("case.who", applicant=case.applicant_masked,
          department=local(case.department, case.department_en, lang)),
        t("case.now", stage=where, light=t(f"case.light.{case.light}")),
    ])
    rows = []
    for n, s in enumerate(case.stages, start=1):
        if s.state == "waiting":
            detail = t("case.stage.waiting")
        elif s.state == "done":
            detail = t("case.stage.done", start=s.started_at, end=s.finished_at,
                       deadline=s.deadline)
        else:
            detail = t("case.stage.current", start=s.started_at, deadline=s.deadline)
        rows.append(Row(f"{n}. {s.name_zh if zh else s.name_en}", detail,
                        t(f"case.light.{s.light}"), TONES.get(s.light, "")))
    return Listing(summary, rows)
