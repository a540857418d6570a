"""排队取号: the hall's business types and how many people wait for each. The number
itself comes from the queue device next to the kiosk, not from here."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend import db
from backend.settings import SettingsDep

router = APIRouter(prefix="/queue", tags=["queue"])


@router.get("/health")
def health() -> dict[str, str]:
    """What the kiosk's prober asks while it has this department marked unavailable."""
    return {"status": "ok"}


class BusinessType(BaseModel):
    code: int = Field(ge=1, le=255, description="the queue device's business number")
    department_zh: str
    department_en: str
    name_zh: str
    name_en: str
    windows: str = Field(examples=["1-3"], description="the counters that serve it")
    waiting: int = Field(ge=0, description="people waiting now")


class BusinessTypesOut(BaseModel):
    business_types: list[BusinessType]


@router.get("/business-types", response_model=BusinessTypesOut)
def business_types(settings: SettingsDep) -> BusinessTypesOut:
    """Every business type the hall serves today, in counter order."""
    with db.connection(settings.db_path) as conn:
        rows = conn.execute("SELECT * FROM queue_business ORDER BY code").fetchall()
    return BusinessTypesOut(business_types=[BusinessType(**dict(r)) for r in rows])
