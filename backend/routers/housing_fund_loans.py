"""公积金 loans with their repayment schedule (还款计划), and withdrawal progress (提取进度)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend import db
from backend.english import english
from backend.errors import ERROR_RESPONSES, not_found
from backend.models import IdNumberRequest
from backend.seed.months import add
from backend.settings import SettingsDep

router = APIRouter(prefix="/housing-fund", tags=["housing-fund"])

WITHDRAWAL_TYPES = {
    "rent": ("租房提取", "Rent"),
    "purchase": ("购房提取", "Home purchase"),
    "retirement": ("退休提取", "Retirement"),
}
STAGES = {
    "submitted": ("已受理", "Received"),
    "review": ("审核中", "Under review"),
    "approved": ("已审批，待转账", "Approved, to be paid"),
    "paid": ("已到账", "Paid out"),
    "rejected": ("未通过", "Rejected"),
}
DUE_DAY = 20


class Instalment(BaseModel):
    period: int
    due_on: str = Field(examples=["2026-12-20"])
    principal_fen: int
    interest_fen: int
    total_fen: int
    remaining_fen: int = Field(description="principal left after this instalment")
    status: Literal["paid", "overdue", "due", "upcoming"]


class LoanOut(BaseModel):
    contract_no_masked: str
    bank: str
    bank_en: str
    principal_fen: int
    rate_bp: int = Field(description="yearly rate in basis points (310 = 3.1 %)")
    term_months: int
    status: Literal["repaying", "overdue", "settled"]
    paid_periods: int
    overdue_periods: int
    remaining_fen: int
    schedule: list[Instalment] = Field(description="equal instalments (等额本息), in order")


class LoansOut(BaseModel):
    holder_name: str
    loans: list[LoanOut] = Field(description="open loans first; empty: none")


class WithdrawalOut(BaseModel):
    ref: str
    type: str
    type_zh: str
    type_en: str
    amount_fen: int
    applied_on: str
    stage: Literal["submitted", "review", "approved", "paid", "rejected"]
    stage_zh: str
    stage_en: str
    updated_on: str
    note: str


class WithdrawalsOut(BaseModel):
    holder_name: str
    withdrawals: list[WithdrawalOut] = Field(description="newest first")


def amortize(principal_fen: int, rate_bp: int, term: int) -> list[tuple[int, int, int]]:
    """Equal instalments: (principal, interest, remaining) per period, in fen; the last
    period takes the rounding so the principal is repaid exactly."""
    r = rate_bp / 10000 / 12
    payment = round(principal_fen * r * (1 + r) ** term / ((1 + r) ** term - 1))
    left, out = principal_fen, []
    for period in range(1, term + 1):
        interest = round(left * r)
        part = left if period == term else min(left, payment - interest)
        left -= part
        out.append((part, interest, left))
    return out


def _holder(conn, id_number: str) -> str:
    row = conn.execute("SELECT name FROM persons WHERE id_number = ?", (id_number,)).fetchone()
    if row is None:
        raise not_found("no person with this ID number")
    return row["name"]


def _loan(row) -> LoanOut:
    paid, overdue = row["paid_periods"], row["overdue_periods"]
    schedule = []
    for i, (part, interest, left) in enumerate(
        amortize(row["principal_fen"], row["rate_bp"], row["term_months"]), start=1
    ):
        state = ("paid" if i <= paid else "overdue" if i <= paid + overdue
                 else "due" if i == paid + overdue + 1 else "upcoming")
        schedule.append(Instalment(
            period=i, due_on=f"{add(row['first_due'], i - 1)}-{DUE_DAY}", principal_fen=part,
            interest_fen=interest, total_fen=part + interest, remaining_fen=left, status=state,
        ))
    settled = paid >= row["term_months"]
    no = row["contract_no"]
    return LoanOut(
        contract_no_masked=no[:7] + "*" * (len(no) - 11) + no[-4:], bank=row["bank"],
        bank_en=english(row["bank"]),
        principal_fen=row["principal_fen"], rate_bp=row["rate_bp"],
        term_months=row["term_months"],
        status="settled" if settled else "overdue" if overdue else "repaying",
        paid_periods=paid, overdue_periods=overdue,
        remaining_fen=schedule[paid - 1].remaining_fen if paid else row["principal_fen"],
        schedule=schedule,
    )


@router.post("/loans", response_model=LoansOut, responses=ERROR_RESPONSES)
def loans(body: IdNumberRequest, settings: SettingsDep) -> LoansOut:
    """贷款信息与还款计划: every loan with its full schedule (360 rows for 30 years)."""
    with db.connection(settings.db_path) as conn:
        holder = _holder(conn, body.id_number)
        rows = conn.execute(
            "SELECT * FROM hf_loans WHERE id_number = ? ORDER BY first_due DESC",
            (body.id_number,),
        ).fetchall()
    found = [_loan(r) for r in rows]
    found.sort(key=lambda x: x.status == "settled")  # stable: open loans first
    return LoansOut(holder_name=holder, loans=found)


@router.post("/withdrawals", response_model=WithdrawalsOut, responses=ERROR_RESPONSES)
def withdrawals(body: IdNumberRequest, settings: SettingsDep) -> WithdrawalsOut:
    """提取进度: every withdrawal applied for, with its stage."""
    with db.connection(settings.db_path) as conn:
        holder = _holder(conn, body.id_number)
        rows = conn.execute(
            "SELECT * FROM hf_withdrawals WHERE id_number = ? ORDER BY applied_on DESC",
            (body.id_number,),
        ).fetchall()
    return WithdrawalsOut(holder_name=holder, withdrawals=[
        WithdrawalOut(
            ref=r["ref"], type=r["type"], type_zh=WITHDRAWAL_TYPES[r["type"]][0],
            type_en=WITHDRAWAL_TYPES[r["type"]][1], amount_fen=r["amount_fen"],
            applied_on=r["applied_on"], stage=r["stage"], stage_zh=STAGES[r["stage"]][0],
            stage_en=STAGES[r["stage"]][1], updated_on=r["updated_on"], note=r["note"],
        )
        for r in rows
    ])
