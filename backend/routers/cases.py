"""办事进度: a case's supervision stages (受理, 审查决定, 办结送达) with their lights.

电子监察 lights, per stage: green on time; yellow when less than a fifth of the
time limit is left (亮黄灯预警); red past the limit, or finished late. The case's
light is its worst stage's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend import db
from backend.english import english
from backend.errors import ERROR_RESPONSES, not_found
from backend.models import StrictRequest, mask_name
from backend.seed.cases import STAGES
from backend.settings import CHINA_TZ, SettingsDep

router = APIRouter(prefix="/cases", tags=["cases"])

Light = Literal["green", "yellow", "red", "none"]
STAGE_NAMES = {
    "acceptance": ("受理", "Acceptance"),
    "review": ("审查决定", "Review and decision"),
    "issuance": ("办结送达", "Issuance and delivery"),
}
WARN_SHARE = 0.2
_RANK = {"none": 0, "green": 1, "yellow": 2, "red": 3}


@router.get("/health")
def health() -> dict[str, str]:
    """What the kiosk's prober asks while it has this department marked unavailable."""
    return {"status": "ok"}


class CaseRequest(StrictRequest):
    case_number: str = Field(pattern=r"^\d{12}$", description="12 digits: YYYYMMDD + 4")


class StageOut(BaseModel):
    stage: Literal["acceptance", "review", "issuance"]
    name_zh: str
    name_en: str
    state: Literal["done", "current", "waiting"]
    started_at: str | None
    finished_at: str | None
    deadline: str | None
    light: Light


class CaseOut(BaseModel):
    case_number: str
    matter_zh: str
    matter_en: str
    department: str
    department_en: str
    applicant_masked: str = Field(examples=["张*例"])
    current_stage: Literal["acceptance", "review", "issuance", "done"]
    light: Light
    stages: list[StageOut]


def light_of(started: datetime, finished: datetime | None, limit: timedelta,
             now: datetime) -> Light:
    deadline = started + limit
    if finished is not None:
        return "green" if finished <= deadline else "red"
    if now > deadline:
        return "red"
    return "yellow" if deadline - now < limit * WARN_SHARE else "green"


def _at(now: datetime, hours: float | None) -> datetime | None:
    return None if hours is None else now + timedelta(hours=hours)


def _fmt(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else None


@router.post("/progress", response_model=CaseOut, responses=ERROR_RESPONSES)
def progress(body: CaseRequest, settings: SettingsDep) -> CaseOut:
    """办事进度查询 by case number (printed on the acceptance notice)."""
    with db.connection(settings.db_path) as conn:
        case = conn.execute(
            "SELECT c.*, p.name FROM demo_cases c JOIN persons p ON p.id_number = c.applicant"
            " WHERE case_number = ?", (body.case_number,),
        ).fetchone()
        if case is None:
            raise not_found("no case with this number")
        rows = {r["stage"]: r for r in conn.execute(
            "SELECT * FROM demo_case_stages WHERE case_number = ?", (body.case_number,))}
    now = settings.clock().astimezone(CHINA_TZ).replace(second=0, microsecond=0)
    stages, current = [], "done"
    for stage in STAGES:
        zh, en = STAGE_NAMES[stage]
        row = rows.get(stage)
        if row is None:
            stages.append(StageOut(stage=stage, name_zh=zh, name_en=en, state="waiting",
                                   started_at=None, finished_at=None, deadline=None,
                                   light="none"))
            continue
        started, finished = _at(now, row["started_h"]), _at(now, row["finished_h"])
        limit = timedelta(hours=row["limit_h"])
        if finished is None:
            current = stage
        stages.append(StageOut(
            stage=stage, name_zh=zh, name_en=en, state="done" if finished else "current",
            started_at=_fmt(started), finished_at=_fmt(finished),
            deadline=_fmt(started + limit), light=light_of(started, finished, limit, now),
        ))
    worst = max((s.light for s in stages), key=_RANK.__getitem__)
    return CaseOut(
        case_number=body.case_number, matter_zh=case["matter_zh"], matter_en=case["matter_en"],
        department=case["department"], department_en=english(case["department"]),
        applicant_masked=mask_name(case["name"]),
        current_stage=current, light=worst, stages=stages,
    )
