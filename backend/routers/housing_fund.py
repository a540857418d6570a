"""公积金 (housing provident fund): account and balance, contribution details and the
contribution certificate (缴存证明). Loans and withdrawals: housing_fund_loans.py."""

from __future__ import annotations

import sqlite3
from typing import Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from backend import certificates, db
from backend.english import english
from backend.errors import ERROR_RESPONSES, ApiError, ErrorBody, not_found
from backend.models import CertificateOut, IdNumberRequest
from backend.settings import SettingsDep

router = APIRouter(prefix="/housing-fund", tags=["housing-fund"])

AccountState = Literal["normal", "frozen", "sealed", "closed"]
STATUS_NAMES = {
    "normal": ("正常缴存", "Contributing"),
    "frozen": ("冻结", "Frozen"),
    "sealed": ("封存", "Dormant"),
    "closed": ("销户", "Closed"),
}
CERT_TITLE = "住房公积金缴存证明"
CERT_ISSUER = "深圳市住房公积金管理中心"
FROZEN = {409: {"model": ErrorBody, "description": "The account is frozen (account_frozen)"}}


@router.get("/health")
def health() -> dict[str, str]:
    """What the kiosk's prober asks while it has this department marked unavailable."""
    return {"status": "ok"}


class AccountOut(BaseModel):
    holder_name: str
    account_no_masked: str = Field(examples=["4403********5671"])
    status: AccountState
    status_zh: str
    status_en: str
    status_reason: str = Field(description="why frozen; empty otherwise")
    status_reason_en: str
    unit: str
    opened: str = Field(examples=["2016-03"])
    base_fen: int
    unit_rate_bp: int = Field(description="the employer's rate in basis points (1200 = 12 %)")
    personal_rate_bp: int
    monthly_fen: int = Field(description="paid in each month, both shares")
    balance_fen: int
    paid_until: str = Field(description="the last month paid, YYYY-MM")


class HfMonth(BaseModel):
    month: str
    unit_fen: int
    personal_fen: int
    kind: Literal["regular", "back_pay"]


class HfContributionsOut(BaseModel):
    holder_name: str
    months: list[HfMonth] = Field(description="newest first")
    total_fen: int


def _mask_account(no: str) -> str:
    return no[:4] + "*" * (len(no) - 8) + no[-4:]


def load_account(conn: sqlite3.Connection, id_number: str) -> AccountOut:
    """404 for an unknown person and for one without an account alike."""
    row = conn.execute(
        "SELECT p.name, a.* FROM hf_accounts a JOIN persons p USING (id_number)"
        " WHERE id_number = ?",
        (id_number,),
    ).fetchone()
    if row is None:
        raise not_found("no housing fund account for this ID number")
    last = conn.execute(
        "SELECT month, unit_fen + personal_fen AS total FROM hf_contributions"
        " WHERE id_number = ? ORDER BY month DESC LIMIT 1",
        (id_number,),
    ).fetchone()
    zh, en = STATUS_NAMES[row["status"]]
    return AccountOut(
        holder_name=row["name"], account_no_masked=_mask_account(row["account_no"]),
        status=row["status"], status_zh=zh, status_en=en, status_reason=row["frozen_reason"],
        status_reason_en=english(row["frozen_reason"]),
        unit=row["unit"], opened=row["opened"], base_fen=row["base_fen"],
        unit_rate_bp=row["unit_bp"], personal_rate_bp=row["personal_bp"],
        monthly_fen=last["total"] if last and row["status"] == "normal" else 0,
        balance_fen=row["balance_fen"], paid_until=last["month"] if last else "",
    )


@router.post("/account", response_model=AccountOut, responses=ERROR_RESPONSES)
def account(body: IdNumberRequest, settings: SettingsDep) -> AccountOut:
    """账户信息: status, balance and the current contribution."""
    with db.connection(settings.db_path) as conn:
        return load_account(conn, body.id_number)


@router.post("/contributions", response_model=HfContributionsOut, responses=ERROR_RESPONSES)
def contributions(body: IdNumberRequest, settings: SettingsDep) -> HfContributionsOut:
    """缴存明细: every month paid into the account, newest first."""
    with db.connection(settings.db_path) as conn:
        holder = load_account(conn, body.id_number).holder_name
        rows = conn.execute(
            "SELECT month, unit_fen, personal_fen, kind FROM hf_contributions"
            " WHERE id_number = ? ORDER BY month DESC",
            (body.id_number,),
        ).fetchall()
    months = [HfMonth(**dict(r)) for r in rows]
    return HfContributionsOut(holder_name=holder, months=months,
                              total_fen=sum(m.unit_fen + m.personal_fen for m in months))


def _pct(bp: int) -> str:
    return f"{bp / 100:g}%"


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}元"


@router.post(
    "/certificates",
    response_model=CertificateOut,
    status_code=status.HTTP_201_CREATED,
    responses={**ERROR_RESPONSES, **FROZEN},
)
def issue_certificate(body: IdNumberRequest, settings: SettingsDep) -> CertificateOut:
    """缴存证明: a verifiable certificate of the account (409 while it is frozen)."""
    with db.connection(settings.db_path) as conn:
        acc = load_account(conn, body.id_number)
        if acc.status == "frozen":
            raise ApiError(409, "account_frozen", "a frozen account gets no certificate")
        rows = [
            ("缴存单位", acc.unit),
            ("账户状态", acc.status_zh),
            ("开户年月", acc.opened),
            ("缴存基数", _yuan(acc.base_fen)),
            ("缴存比例", f"单位{_pct(acc.unit_rate_bp)} 个人{_pct(acc.personal_rate_bp)}"),
            ("月缴存额", _yuan(acc.monthly_fen)),
            ("缴至年月", acc.paid_until or "—"),
            ("账户余额", _yuan(acc.balance_fen)),
        ]
        return certificates.issue(
            conn, settings, kind="housing_fund.contribution", prefix="GJ", title=CERT_TITLE,
            issuer=CERT_ISSUER, holder_name=acc.holder_name, id_number=body.id_number, rows=rows,
        )
