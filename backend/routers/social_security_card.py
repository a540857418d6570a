"""社保卡: the card's status (社保卡状态查询) and a temporary loss report (临时挂失).

A loss report is safe against double submission: the kiosk sends an idempotency key
it stored before asking, and the same key always gets the same report back, so a
kiosk that lost the answer (timeout, cut-off) may ask again, or ask the card's status,
and never reports twice.
"""

from __future__ import annotations

import secrets
import sqlite3
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend import db
from backend.errors import ERROR_RESPONSES, ApiError, ErrorBody, not_found
from backend.models import IdNumberRequest
from backend.settings import SettingsDep

router = APIRouter(prefix="/social-security/card", tags=["social-security"])

CardState = Literal["normal", "temp_loss", "formal_loss", "making", "cancelled"]
# (zh, en): what the card's state means for the citizen.
STATES: dict[str, tuple[str, str]] = {
    "normal": ("正常使用", "In normal use"),
    "temp_loss": ("临时挂失", "Temporarily reported lost"),
    "formal_loss": ("正式挂失", "Formally reported lost"),
    "making": ("制卡中", "Being made"),
    "cancelled": ("已注销", "Cancelled"),
}
NOTES: dict[str, tuple[str, str]] = {
    "normal": ("可在医院、药店结算，可办理临时挂失",
               "Works at hospitals and pharmacies; can be reported lost here"),
    "temp_loss": ("医保结算和金融功能已暂停；请于30日内到社保服务窗口或合作银行"
                  "办理正式挂失补卡或解挂",
                  "Medical and banking functions are stopped; within 30 days, go to a social "
                  "security counter or the card's bank to replace the card or lift the report"),
    "formal_loss": ("补办的新卡制作中，可凭身份证到窗口办理业务",
                    "A replacement is being made; counters serve you with your ID card"),
    "making": ("社保卡制作中，制成后短信通知领卡",
               "The card is being made; a text message will say where to collect it"),
    "cancelled": ("此卡已注销", "This card has been cancelled"),
}
BANKS: dict[str, tuple[str, str]] = {
    "icbc": ("中国工商银行", "Industrial and Commercial Bank of China"),
    "ccb": ("中国建设银行", "China Construction Bank"),
    "boc": ("中国银行", "Bank of China"),
    "abc": ("中国农业银行", "Agricultural Bank of China"),
}
CONFLICT = {409: {"model": ErrorBody, "description": "not_reportable, key_reused"}}


class CardStatusOut(BaseModel):
    holder_name: str
    card_no_masked: str = Field(examples=["D440****2"])
    status: CardState
    status_zh: str
    status_en: str
    note_zh: str
    note_en: str
    bank_zh: str
    bank_en: str
    issued_on: str = Field(examples=["2015-04-02"])
    status_since: str = Field(examples=["2026-11-20 21:07"])
    can_report_loss: bool = Field(description="only a card in normal use can be reported lost")


class LossReportRequest(IdNumberRequest):
    idempotency_key: str = Field(pattern=r"^[A-Za-z0-9_-]{16,64}$",
                                 description="the kiosk's, stored before it asks")


class LossReportOut(BaseModel):
    report_ref: str = Field(examples=["GS20261122000042"])
    reported_at: str = Field(examples=["2026-11-22 20:15"])
    card: CardStatusOut


def mask_card_no(card_no: str) -> str:
    """First 4 and last 1 characters kept: "D440****2"."""
    return card_no[:4] + "*" * (len(card_no) - 5) + card_no[-1:]


def _card(conn: sqlite3.Connection, id_number: str) -> CardStatusOut:
    row = conn.execute(
        "SELECT p.name, c.* FROM persons p LEFT JOIN ss_cards c USING (id_number)"
        " WHERE p.id_number = ?", (id_number,),
    ).fetchone()
    if row is None:
        raise not_found("no person with this ID number")
    if row["card_no"] is None:
        raise not_found("no social security card for this person")
    state, bank = row["status"], BANKS[row["bank"]]
    return CardStatusOut(
        holder_name=row["name"], card_no_masked=mask_card_no(row["card_no"]), status=state,
        status_zh=STATES[state][0], status_en=STATES[state][1],
        note_zh=NOTES[state][0], note_en=NOTES[state][1], bank_zh=bank[0], bank_en=bank[1],
        issued_on=row["issued_on"], status_since=row["status_since"],
        can_report_loss=state == "normal",
    )


@router.post("/status", response_model=CardStatusOut, responses=ERROR_RESPONSES)
def card_status(body: IdNumberRequest, settings: SettingsDep) -> CardStatusOut:
    """社保卡状态查询. 404: unknown person, or no card."""
    with db.connection(settings.db_path) as conn:
        return _card(conn, body.id_number)


@router.post("/loss-report", response_model=LossReportOut,
             responses={**ERROR_RESPONSES, **CONFLICT})
def report_loss(body: LossReportRequest, settings: SettingsDep) -> LossReportOut:
    """临时挂失. The same idempotency key gets the same report back, however often sent;
    409 ``not_reportable`` if the card is not in normal use (already reported ...)."""
    with db.connection(settings.db_path) as conn:
        conn.execute("BEGIN IMMEDIATE")  # one writer decides: no two reports
        seen = conn.execute("SELECT * FROM ss_card_loss_reports WHERE idempotency_key = ?",
                            (body.idempotency_key,)).fetchone()
        if seen is not None:
            if seen["id_number"] != body.id_number:
                raise ApiError(409, "key_reused", "this idempotency key was used for another card")
            return LossReportOut(report_ref=seen["report_ref"], reported_at=seen["reported_at"],
                                 card=_card(conn, body.id_number))
        card = _card(conn, body.id_number)
        if not card.can_report_loss:
            raise ApiError(409, "not_reportable", f"the card is {card.status}")
        now = settings.clock().strftime("%Y-%m-%d %H:%M")
        ref = "GS" + settings.clock().strftime("%Y%m%d") + f"{secrets.randbelow(10**6):06d}"
        conn.execute("UPDATE ss_cards SET status = 'temp_loss', status_since = ?"
                     " WHERE id_number = ?", (now, body.id_number))
        conn.execute("INSERT INTO ss_card_loss_reports VALUES (?, ?, ?, ?)",
                     (body.idempotency_key, body.id_number, ref, now))
        return LossReportOut(report_ref=ref, reported_at=now, card=_card(conn, body.id_number))
