"""社保 histories: contribution months (缴费记录) and pension payments (养老金发放)."""

from __future__ import annotations

import sqlite3
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend import db
from backend.english import english
from backend.errors import ERROR_RESPONSES, not_found
from backend.models import IdNumberRequest
from backend.settings import SettingsDep

router = APIRouter(prefix="/social-security", tags=["social-security"])


class ContributionMonth(BaseModel):
    month: str = Field(examples=["2026-10"])
    unit: str
    base_fen: int = Field(description="contribution base, fen per month")
    unit_fen: int = Field(description="the employer's share, all insurances, fen")
    personal_fen: int
    kind: Literal["regular", "back_pay"]


class ContributionHistoryOut(BaseModel):
    holder_name: str
    months: list[ContributionMonth] = Field(description="newest first; empty: never paid")
    total_personal_fen: int


class PensionPayment(BaseModel):
    month: str
    amount_fen: int
    paid_on: str = Field(examples=["2026-11-10"])
    bank: str = Field(description="bank and the account's last digits only")
    bank_en: str


class PensionPaymentsOut(BaseModel):
    holder_name: str
    payments: list[PensionPayment] = Field(description="newest first; empty: draws no pension")


def _holder(conn: sqlite3.Connection, id_number: str) -> str:
    person = conn.execute("SELECT name FROM persons WHERE id_number = ?", (id_number,)).fetchone()
    if person is None:
        raise not_found("no person with this ID number")
    return person["name"]


@router.post("/contributions", response_model=ContributionHistoryOut, responses=ERROR_RESPONSES)
def contributions(body: IdNumberRequest, settings: SettingsDep) -> ContributionHistoryOut:
    """缴费记录: every month paid, newest first (hundreds for a long career)."""
    with db.connection(settings.db_path) as conn:
        holder = _holder(conn, body.id_number)
        rows = conn.execute(
            "SELECT month, unit, base_fen, unit_fen, personal_fen, kind FROM ss_contributions"
            " WHERE id_number = ? ORDER BY month DESC",
            (body.id_number,),
        ).fetchall()
    months = [ContributionMonth(**dict(r)) for r in rows]
    return ContributionHistoryOut(
        holder_name=holder, months=months, total_personal_fen=sum(m.personal_fen for m in months)
    )


@router.post("/pension-payments", response_model=PensionPaymentsOut, responses=ERROR_RESPONSES)
def pension_payments(body: IdNumberRequest, settings: SettingsDep) -> PensionPaymentsOut:
    """养老金发放: every monthly pension paid, newest first."""
    with db.connection(settings.db_path) as conn:
        holder = _holder(conn, body.id_number)
        rows = conn.execute(
            "SELECT month, amount_fen, paid_on, bank FROM pension_payments"
            " WHERE id_number = ? ORDER BY month DESC",
            (body.id_number,),
        ).fetchall()
    return PensionPaymentsOut(
        holder_name=holder,
        payments=[PensionPayment(**dict(r), bank_en=english(r["bank"])) for r in rows],
    )
