"""办事进度: a case's supervision stages and their traffic lights, by case number."""

from __future__ import annotations

from kiosk.services.gateway import BackendClient, parse
from kiosk.services.values import PersonalValue

PROGRESS_PATH = "/api/v1/cases/progress"


class Stage(PersonalValue):
    stage: str  # "acceptance" | "review" | "issuance"
    name_zh: str
    name_en: str
    state: str  # "done" | "current" | "waiting"
    started_at: str | None = None
    finished_at: str | None = None
    deadline: str | None = None
    light: str  # "green" | "yellow" | "red" | "none"


class CaseProgress(PersonalValue):
    case_number: str
    matter_zh: str
    matter_en: str
    department: str
    department_en: str = ""
    applicant_masked: str
    current_stage: str  # a stage, or "done"
    light: str
    stages: tuple[Stage, ...]


class CaseService:
    def __init__(self, client: BackendClient) -> None:
        self._client = client

    def progress(self, case_number: str) -> CaseProgress:
        """Raises ServiceError; ``not_found``: no case with this number."""
        data = self._client.post_json(PROGRESS_PATH, {"case_number": case_number})
        return parse(CaseProgress, data, "case progress")
