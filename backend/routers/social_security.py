"""社保 (social security): insurance status and the insurance certificate (参保证明)."""

from __future__ import annotations

import sqlite3
from typing import Literal

from fastapi import APIRouter, status
from pydantic import BaseModel

from backend import certificates, db
from backend.errors import ERROR_RESPONSES, not_found
from backend.models import CertificateOut, IdNumberRequest
from backend.settings import SettingsDep

router = APIRouter(prefix="/social-security", tags=["social-security"])


@router.get("/health")
def health() -> dict[str, str]:
    """What the kiosk's prober asks while it has this department marked unavailable."""
    return {"status": "ok"}

InsuranceType = Literal["pension", "medical", "unemployment", "injury", "maternity"]
InsuranceState = Literal["paying", "suspended", "retired"]

# In print order. (zh, en)
INSURANCE_NAMES: dict[str, tuple[str, str]] = {
    "pension": ("基本养老保险", "Basic pension insurance"),
    "medical": ("基本医疗保险", "Basic medical insurance"),
    "unemployment": ("失业保险", "Unemployment insurance"),
    "injury": ("工伤保险", "Work-injury insurance"),
    "maternity": ("生育保险", "Maternity insurance"),
}
STATUS_NAMES: dict[str, tuple[str, str]] = {
    "paying": ("参保缴费", "Paying"),
    "suspended": ("暂停缴费", "Suspended"),
    "retired": ("退休享受待遇", "Retired, receiving benefits"),
}
CERT_TITLE = "社会保险参保证明"
CERT_ISSUER = "深圳市社会保险基金管理局"


class Insurance(BaseModel):
    type: InsuranceType
    name_zh: str
    name_en: str
    status: InsuranceState
    status_zh: str
    status_en: str
    since: str  # YYYY-MM
    months: int  # months paid in total
    unit: str


class InsuranceStatusOut(BaseModel):
    holder_name: str
    insurances: list[Insurance]  # empty: the person is known but was never insured


def _load(conn: sqlite3.Connection, id_number: str) -> InsuranceStatusOut:
    person = conn.execute("SELECT name FROM persons WHERE id_number = ?", (id_number,)).fetchone()
    if person is None:
        raise not_found("no person with this ID number")
    rows = conn.execute(
        "SELECT type, status, since, months, unit FROM insurances WHERE id_number = ?",
        (id_number,),
    ).fetchall()
    order = list(INSURANCE_NAMES)
    insurances = [
        Insurance(
            type=r["type"],
            name_zh=INSURANCE_NAMES[r["type"]][0],
            name_en=INSURANCE_NAMES[r["type"]][1],
            status=r["status"],
            status_zh=STATUS_NAMES[r["status"]][0],
            status_en=STATUS_NAMES[r["status"]][1],
            since=r["since"],
            months=r["months"],
            unit=r["unit"],
        )
        for r in sorted(rows, key=lambda r: order.index(r["type"]))
    ]
    return InsuranceStatusOut(holder_name=person["name"], insurances=insurances)


def _row(ins: Insurance) -> tuple[str, str]:
    value = f"{ins.status_zh} {ins.since}起"
    if ins.months:  # retirees who never paid into a scheme have nothing to count
        value += f" 累计{ins.months}个月"
    return ins.name_zh, value


@router.post("/insurance", response_model=InsuranceStatusOut, responses=ERROR_RESPONSES)
def insurance_status(body: IdNumberRequest, settings: SettingsDep) -> InsuranceStatusOut:
    """参保信息查询: every insurance the person holds, with its status."""
    with db.connection(settings.db_path) as conn:
        return _load(conn, body.id_number)


@router.post(
    "/certificates",
    response_model=CertificateOut,
    status_code=status.HTTP_201_CREATED,
    responses=ERROR_RESPONSES,
)
def issue_certificate(body: IdNumberRequest, settings: SettingsDep) -> CertificateOut:
    """参保证明: a verifiable certificate of the person's insurances (404 if there are none)."""
    with db.connection(settings.db_path) as conn:
        state = _load(conn, body.id_number)
        if not state.insurances:
            raise not_found("no social-security records to certify")
        units = list(dict.fromkeys(i.unit for i in state.insurances))  # distinct, in order
        return certificates.issue(
            conn,
            settings,
            kind="social_security.insurance",
            prefix="SB",
            title=CERT_TITLE,
            issuer=CERT_ISSUER,
            holder_name=state.holder_name,
            id_number=body.id_number,
            rows=[_row(i) for i in state.insurances] + [("参保单位", "、".join(units))],
        )
