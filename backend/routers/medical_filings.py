"""异地就医备案: registering for treatment in another city, never filed twice.

The kiosk sends an idempotency key it stored before asking: the same key with the same
form always gets the same filing back, so a kiosk that lost the answer may send it again.
A person with a filing in force cannot file another (``already_filed``); one writer at a
time decides (``BEGIN IMMEDIATE``), so two racing requests cannot both file.
"""

from __future__ import annotations

import secrets
import sqlite3
from datetime import date, timedelta
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend import db
from backend.errors import ERROR_RESPONSES, ApiError, ErrorBody, not_found
from backend.models import IdNumberRequest
from backend.settings import CHINA_TZ, Settings, SettingsDep

router = APIRouter(prefix="/medical-insurance", tags=["medical-insurance"])

Reason = Literal["long_term_residence", "work_elsewhere", "referral", "temporary"]
REASONS: dict[str, tuple[str, str]] = {
    "long_term_residence": ("异地长期居住", "Living in another city long-term"),
    "work_elsewhere": ("常驻异地工作", "Working in another city"),
    "referral": ("异地转诊", "Referred to a hospital in another city"),
    "temporary": ("临时外出就医", "Temporary trip"),
}
LONG_TERM = {"long_term_residence", "work_elsewhere"}  # in force until changed
TEMPORARY_DAYS = 180  # a referral or a trip: half a year
MAX_DAYS_AHEAD = 90
# Destination cities (GB/T 2260 codes), in the order the form lists them.
CITIES: dict[str, tuple[str, str]] = {
    "440100": ("广东省广州市", "Guangzhou, Guangdong"),
    "430100": ("湖南省长沙市", "Changsha, Hunan"),
    "420100": ("湖北省武汉市", "Wuhan, Hubei"),
    "510100": ("四川省成都市", "Chengdu, Sichuan"),
    "360100": ("江西省南昌市", "Nanchang, Jiangxi"),
    "450100": ("广西壮族自治区南宁市", "Nanning, Guangxi"),
    "110100": ("北京市", "Beijing"),
    "310100": ("上海市", "Shanghai"),
}
CONFLICT = {409: {"model": ErrorBody,
                  "description": "not_insured, already_filed, key_reused"}}


class FilingRequest(IdNumberRequest):
    idempotency_key: str = Field(pattern=r"^[A-Za-z0-9_-]{16,64}$",
                                 description="the kiosk's, stored before it asks")
    city_code: str = Field(pattern=r"^\d{6}$", description="one of /filing-options")
    reason: Reason
    start_date: date = Field(description=f"today to {MAX_DAYS_AHEAD} days ahead")


class FilingOut(BaseModel):
    filing_ref: str = Field(examples=["BA20261122004217"])
    city_code: str
    city_zh: str
    city_en: str
    reason: Reason
    reason_zh: str
    reason_en: str
    start_date: str = Field(examples=["2026-12-01"])
    end_date: str = Field(description='"" for a long-term filing, in force until changed')
    filed_at: str = Field(examples=["2026-11-22 20:15"])


class Option(BaseModel):
    code: str
    name_zh: str
    name_en: str


class FilingOptionsOut(BaseModel):
    cities: list[Option]
    reasons: list[Option]
    max_days_ahead: int


def _today(settings: Settings) -> date:
    return settings.clock().astimezone(CHINA_TZ).date()


def _out(row: sqlite3.Row) -> FilingOut:
    city, reason = CITIES[row["city_code"]], REASONS[row["reason"]]
    return FilingOut(filing_ref=row["filing_ref"], city_code=row["city_code"], city_zh=city[0],
                     city_en=city[1], reason=row["reason"], reason_zh=reason[0],
                     reason_en=reason[1], start_date=row["start_date"],
                     end_date=row["end_date"], filed_at=row["filed_at"])


def active_filing(conn: sqlite3.Connection, id_number: str, today: date) -> FilingOut | None:
    """The filing in force today (long-term, or not yet ended), newest first."""
    row = conn.execute(
        "SELECT * FROM mi_filings WHERE id_number = ? AND (end_date = '' OR end_date >= ?)"
        " ORDER BY filed_at DESC LIMIT 1", (id_number, today.isoformat())).fetchone()
    return None if row is None else _out(row)


@router.get("/filing-options", response_model=FilingOptionsOut)
def filing_options() -> FilingOptionsOut:
    """What the 备案 form offers: destination cities and reasons, in both languages."""
    return FilingOptionsOut(
        cities=[Option(code=c, name_zh=zh, name_en=en) for c, (zh, en) in CITIES.items()],
        reasons=[Option(code=c, name_zh=zh, name_en=en) for c, (zh, en) in REASONS.items()],
        max_days_ahead=MAX_DAYS_AHEAD,
    )


@router.post("/filings", response_model=FilingOut, responses={**ERROR_RESPONSES, **CONFLICT})
def file_treatment_elsewhere(body: FilingRequest, settings: SettingsDep) -> FilingOut:
    """异地就医备案. The same key and form get the same filing back, however often sent."""
    if body.city_code not in CITIES:
        raise ApiError(422, "invalid_request", "city_code: not a destination city")
    today = _today(settings)
    if not today <= body.start_date <= today + timedelta(days=MAX_DAYS_AHEAD):
        raise ApiError(422, "invalid_request",
                       f"start_date: must be from today to {MAX_DAYS_AHEAD} days ahead")
    with db.connection(settings.db_path) as conn:
        conn.execute("BEGIN IMMEDIATE")  # one writer decides: never two filings
        seen = conn.execute("SELECT * FROM mi_filings WHERE idempotency_key = ?",
                            (body.idempotency_key,)).fetchone()
        if seen is not None:
            same = (seen["id_number"], seen["city_code"], seen["reason"], seen["start_date"]) == (
                body.id_number, body.city_code, body.reason, body.start_date.isoformat())
            if not same:
                raise ApiError(409, "key_reused", "this idempotency key was used for another form")
            return _out(seen)
        member = conn.execute("SELECT state FROM mi_members WHERE id_number = ?",
                              (body.id_number,)).fetchone()
        if member is None:
            raise not_found("no medical insurance record for this person")
        if member["state"] != "insured":
            raise ApiError(409, "not_insured", "only an insured person can file")
        if active_filing(conn, body.id_number, today) is not None:
            raise ApiError(409, "already_filed", "a filing is in force; change it at a counter")
        end = "" if body.reason in LONG_TERM else (
            body.start_date + timedelta(days=TEMPORARY_DAYS)).isoformat()
        filed_at = settings.clock().astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
        for _ in range(5):  # a clash of the random part is rare, but cheap to retry
            ref = "BA" + today.strftime("%Y%m%d") + f"{secrets.randbelow(10**6):06d}"
            try:
                conn.execute("INSERT INTO mi_filings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             (ref, body.idempotency_key, body.id_number, body.city_code,
                              body.reason, body.start_date.isoformat(), end, filed_at))
            except sqlite3.IntegrityError:
                continue
            return _out(conn.execute("SELECT * FROM mi_filings WHERE filing_ref = ?",
                                     (ref,)).fetchone())
    raise RuntimeError("could not allocate a unique filing number")
