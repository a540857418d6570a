"""交管 (traffic): driving licence points and validity, violations by plate + VIN or by
licence. Paying a fine: traffic_payments.py."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field, field_validator

from backend import db
from backend.english import english
from backend.errors import ERROR_RESPONSES, not_found
from backend.models import IdNumberRequest, StrictRequest, mask_id_number
from backend.settings import CHINA_TZ, SettingsDep

router = APIRouter(prefix="/traffic", tags=["traffic"])

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"  # no I or O: they read as 1 and 0
_NEV = "DABCEFGHJK"  # new-energy type letters (GA 36)
PLATE = re.compile(
    rf"[{PROVINCES}][{_LETTER}]"
    rf"(?:[{_LETTER}0-9]{{5}}|[{_NEV}][{_LETTER}0-9][0-9]{{4}}|[0-9]{{5}}[{_NEV}])"
)
VIN6 = re.compile(r"[A-HJ-NPR-Z0-9]{6}")  # a VIN has no I, O or Q
POINTS_PER_CYCLE = 12
EXPIRING_DAYS = 90
LICENCE_STATES = {
    "valid": ("有效", "Valid"),
    "expiring": ("即将到期，请及时换证", "Expiring soon: renew it"),
    "expired": ("已过期", "Expired"),
}


@router.get("/health")
def health() -> dict[str, str]:
    """What the kiosk's prober asks while it has this department marked unavailable."""
    return {"status": "ok"}


class PlateRequest(StrictRequest):
    plate: str = Field(description="号牌号码 without separator: 7 characters, 8 for new energy")
    vin_last6: str = Field(description="the last 6 characters of the vehicle identification number")

    @field_validator("plate")
    @classmethod
    def _plate(cls, value: str) -> str:
        value = value.replace("·", "").replace(" ", "").upper()
        if not PLATE.fullmatch(value):
            raise ValueError("not a valid plate number")
        return value

    @field_validator("vin_last6")
    @classmethod
    def _vin(cls, value: str) -> str:
        value = value.upper()
        if not VIN6.fullmatch(value):
            raise ValueError("must be 6 letters or digits (no I, O, Q)")
        return value


class LicenceOut(BaseModel):
    holder_name: str
    licence_no_masked: str = Field(description="the licence number is the ID number, masked")
    licence_class: str = Field(examples=["C1"])
    first_issued: str
    valid_from: str
    valid_to: str
    status: Literal["valid", "expiring", "expired"]
    status_zh: str
    status_en: str
    points_deducted: int
    points_left: int
    probation: bool = Field(description="实习期: within 12 months of the first licence")


class ViolationOut(BaseModel):
    ref: str = Field(description="处罚决定书编号; pay with it")
    plate_masked: str = Field(examples=["粤BD***45"])
    occurred_at: str
    place: str
    place_en: str
    act_zh: str
    act_en: str
    points: int
    fine_fen: int
    status: Literal["unpaid", "paid", "unprocessed"]
    paid_order: str | None = Field(description="the order that paid it: its receipt can be printed")


class ViolationsOut(BaseModel):
    holder_name: str = Field(description="the vehicle's owner, or the licence holder")
    violations: list[ViolationOut] = Field(description="unpaid first, then newest first")


def mask_plate(plate: str) -> str:
    return plate[:3] + "*" * (len(plate) - 5) + plate[-2:]


def _violations(conn: sqlite3.Connection, where: str, arg: str) -> list[ViolationOut]:
    rows = conn.execute(
        f"SELECT * FROM violations WHERE {where} = ? ORDER BY occurred_at DESC", (arg,)
    ).fetchall()
    found = [
        ViolationOut(ref=r["ref"], plate_masked=mask_plate(r["plate"]),
                     occurred_at=r["occurred_at"], place=r["place"],
                     place_en=english(r["place"]), act_zh=r["act_zh"],
                     act_en=r["act_en"], points=r["points"], fine_fen=r["fine_fen"],
                     status=r["status"], paid_order=r["paid_order"])
        for r in rows
    ]
    found.sort(key=lambda v: v.status == "paid")  # stable: what is open comes first
    return found


@router.post("/violations/by-plate", response_model=ViolationsOut, responses=ERROR_RESPONSES)
def by_plate(body: PlateRequest, settings: SettingsDep) -> ViolationsOut:
    """违法查询 by plate and the VIN's last 6 characters (both must match: 404 otherwise,
    the same answer for an unknown plate and a wrong VIN)."""
    with db.connection(settings.db_path) as conn:
        row = conn.execute(
            "SELECT p.name FROM vehicles v JOIN persons p ON p.id_number = v.owner"
            " WHERE v.plate = ? AND substr(v.vin, -6) = ?",
            (body.plate, body.vin_last6),
        ).fetchone()
        if row is None:
            raise not_found("no vehicle with this plate and VIN")
        return ViolationsOut(holder_name=row["name"],
                             violations=_violations(conn, "plate", body.plate))


def _licence_row(conn: sqlite3.Connection, id_number: str) -> sqlite3.Row:
    row = conn.execute(
        "SELECT p.name, l.* FROM licences l JOIN persons p USING (id_number)"
        " WHERE id_number = ?", (id_number,),
    ).fetchone()
    if row is None:
        raise not_found("no driving licence for this ID number")
    return row


@router.post("/violations/by-licence", response_model=ViolationsOut, responses=ERROR_RESPONSES)
def by_licence(body: IdNumberRequest, settings: SettingsDep) -> ViolationsOut:
    """违法查询 by driving licence: the violations decided on this licence."""
    with db.connection(settings.db_path) as conn:
        row = _licence_row(conn, body.id_number)
        return ViolationsOut(holder_name=row["name"],
                             violations=_violations(conn, "driver", body.id_number))


@router.post("/licence", response_model=LicenceOut, responses=ERROR_RESPONSES)
def licence(body: IdNumberRequest, settings: SettingsDep) -> LicenceOut:
    """驾驶证记分与有效期: points deducted in this cycle, and validity."""
    with db.connection(settings.db_path) as conn:
        row = _licence_row(conn, body.id_number)
    today = settings.clock().astimezone(CHINA_TZ).date()
    valid_to = date.fromisoformat(row["valid_to"])
    state = ("expired" if valid_to < today else
             "expiring" if valid_to - today <= timedelta(days=EXPIRING_DAYS) else "valid")
    first = date.fromisoformat(row["first_issued"])
    return LicenceOut(
        holder_name=row["name"], licence_no_masked=mask_id_number(body.id_number),
        licence_class=row["licence_class"], first_issued=row["first_issued"],
        valid_from=row["valid_from"], valid_to=row["valid_to"], status=state,
        status_zh=LICENCE_STATES[state][0], status_en=LICENCE_STATES[state][1],
        points_deducted=row["points_deducted"],
        points_left=max(0, POINTS_PER_CYCLE - row["points_deducted"]),
        probation=today - first < timedelta(days=365),
    )
