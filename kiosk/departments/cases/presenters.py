"""What the 办事进度 list shows: a pure function of the case (no Kivy, no I/O)."""

from __future__ import annotations

from kiosk.departments.cases.service import CaseProgress
from kiosk.i18n import local
from kiosk.records import Listing, Row, Translate

TONES = {"green": "ok", "yellow": "warn", "red": "bad"}


def present_case(case: CaseProgress, t: Translate, lang: str) -> Listing:
    current = next((s for s in case.stages if s.stage == case.current_stage), None)
    where = local(current.name_zh, current.name_en, lang) if current else t("case.done")
    summary = "\n".join([
        t("case.matter", matter=local(case.matter_zh, case.matter_en, lang)),
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
        rows.append(Row(f"{n}. {local(s.name_zh, s.name_en, lang)}", detail,
                        t(f"case.light.{s.light}"), TONES.get(s.light, "")))
    return Listing(summary, rows)
