"""办事指南 and 一件事 bundles. A bundle asked for by a citizen marks the materials the
government already holds for that person (两个免于提交: not asked for again)."""

from __future__ import annotations

import sqlite3

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend import db
from backend.english import english
from backend.errors import ERROR_RESPONSES, not_found
from backend.models import IdNumberRequest
from backend.seed.guides import BUNDLES, GUIDES, HELD_BY, MATERIALS_EN
from backend.settings import CHINA_TZ, SettingsDep

router = APIRouter(prefix="/guides", tags=["guides"])


@router.get("/health")
def health() -> dict[str, str]:
    """What the kiosk's prober asks while it has this department marked unavailable."""
    return {"status": "ok"}


class Material(BaseModel):
    name_zh: str
    name_en: str


class GuideOut(BaseModel):
    id: str
    title_zh: str
    title_en: str
    pinyin: str = Field(description="words by spaces, syllables by apostrophes: she'bao")
    keywords: str
    department: str
    department_en: str
    at_kiosk: bool = Field(description="can be done at this kiosk")
    days: int = Field(description="time limit in working days; 0: on the spot")
    fee: str
    fee_en: str
    materials: list[Material]


class BundleSummary(BaseModel):
    id: str
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str


class CatalogOut(BaseModel):
    guides: list[GuideOut]
    bundles: list[BundleSummary]


class Step(BaseModel):
    title_zh: str
    title_en: str
    department: str
    department_en: str
    days: int


class BundleMaterial(Material):
    held: bool = Field(description="the government holds it for this person: not asked for")


class BundleOut(BundleSummary):
    steps: list[Step]
    materials: list[BundleMaterial]


class BundleRequest(IdNumberRequest):
    bundle_id: str = Field(pattern=r"^[a-z-]{1,32}$")


def _material(name: str) -> Material:
    return Material(name_zh=name, name_en=MATERIALS_EN.get(name, name))


@router.get("/catalog", response_model=CatalogOut)
def catalog() -> CatalogOut:
    """Every guide and bundle: nothing personal, the kiosk searches it locally."""
    return CatalogOut(
        guides=[GuideOut(id=g[0], title_zh=g[1], title_en=g[2], pinyin=g[3], keywords=g[4],
                         department=g[5], department_en=english(g[5]), at_kiosk=g[6],
                         days=g[7], fee=g[8], fee_en=english(g[8]),
                         materials=[_material(m) for m in g[9]]) for g in GUIDES],
        bundles=[BundleSummary(id=b[0], title_zh=b[1], title_en=b[2], summary_zh=b[3],
                               summary_en=b[4]) for b in BUNDLES],
    )


def _held(conn: sqlite3.Connection, id_number: str, today: str) -> set[str]:
    def has(sql: str, *more: str) -> bool:
        return conn.execute(sql, (id_number, *more)).fetchone() is not None

    held = {"id_card"}  # the person was identified by the card itself
    if has("SELECT 1 FROM insurances WHERE id_number = ?"):
        held.add("ss_record")
    if has("SELECT 1 FROM hf_accounts WHERE id_number = ? AND status != 'closed'"):
        held.add("hf_account")
    if has("SELECT 1 FROM licences WHERE id_number = ? AND valid_to >= ?", today):
        held.add("driving_licence")
    # A business licence is held once the person's registration case has been issued.
    if has("SELECT 1 FROM demo_cases c WHERE applicant = ? AND matter_zh = '个体工商户设立登记'"
           " AND (SELECT COUNT(*) FROM demo_case_stages s WHERE s.case_number = c.case_number"
           " AND s.finished_h IS NOT NULL) = 3"):
        held.add("business_licence")
    return held


@router.post("/bundle", response_model=BundleOut, responses=ERROR_RESPONSES)
def bundle(body: BundleRequest, settings: SettingsDep) -> BundleOut:
    """一件事: the steps, and the materials with what the government already holds."""
    found = next((b for b in BUNDLES if b[0] == body.bundle_id), None)
    if found is None:
        raise not_found("no such bundle")
    with db.connection(settings.db_path) as conn:
        if conn.execute("SELECT 1 FROM persons WHERE id_number = ?",
                        (body.id_number,)).fetchone() is None:
            raise not_found("no person with this ID number")
        today = settings.clock().astimezone(CHINA_TZ).date().isoformat()
        held = _held(conn, body.id_number, today)
    bid, title_zh, title_en, summary_zh, summary_en, steps, materials = found
    return BundleOut(
        id=bid, title_zh=title_zh, title_en=title_en, summary_zh=summary_zh,
        summary_en=summary_en,
        steps=[Step(title_zh=s[0], title_en=s[1], department=s[2],
                    department_en=english(s[2]), days=s[3]) for s in steps],
        materials=[BundleMaterial(**_material(m).model_dump(), held=HELD_BY.get(m) in held)
                   for m in materials],
    )
