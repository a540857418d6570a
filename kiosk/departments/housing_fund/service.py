"""公积金: account, contribution details, certificate (缴存证明), loans, withdrawals.

Typed values from lenient wire shapes (plain str for states: a back end adding one
must not break kiosks in the field; unknown ones are shown by their names).
"""

from __future__ import annotations

from dataclasses import dataclass

from common.privacy import personal
from kiosk.printing.certificate import Certificate
from kiosk.services.certificates import certificate_from
from kiosk.services.gateway import BackendClient, parse
from kiosk.services.values import PersonalValue

BASE = "/api/v1/housing-fund"


class Account(PersonalValue):
    holder_name: str
    account_no_masked: str
    status: str  # "normal" | "frozen" | "sealed" | "closed"
    status_zh: str
    status_en: str
    status_reason: str
    status_reason_en: str = ""
    unit: str
    opened: str
    base_fen: int
    unit_rate_bp: int
    personal_rate_bp: int
    monthly_fen: int
    balance_fen: int
    paid_until: str


class HfMonth(PersonalValue):
    month: str
    unit_fen: int
    personal_fen: int
    kind: str  # "regular" | "back_pay"


class Instalment(PersonalValue):
    period: int
    due_on: str
    principal_fen: int
    interest_fen: int
    total_fen: int
    remaining_fen: int
    status: str  # "paid" | "overdue" | "due" | "upcoming"


class Loan(PersonalValue):
    contract_no_masked: str
    bank: str
    bank_en: str = ""
    principal_fen: int
    rate_bp: int
    term_months: int
    status: str  # "repaying" | "overdue" | "settled"
    paid_periods: int
    overdue_periods: int
    remaining_fen: int
    schedule: tuple[Instalment, ...]


class Withdrawal(PersonalValue):
    ref: str
    type: str
    type_zh: str
    type_en: str
    amount_fen: int
    applied_on: str
    stage: str  # "submitted" | "review" | "approved" | "paid" | "rejected"
    stage_zh: str
    stage_en: str
    updated_on: str
    note: str


@personal
@dataclass(frozen=True)
class Contributions:
    holder_name: str
    months: tuple[HfMonth, ...]  # newest first
    total_fen: int


@personal
@dataclass(frozen=True)
class Loans:
    holder_name: str
    loans: tuple[Loan, ...]  # open loans first; empty: none


@personal
@dataclass(frozen=True)
class Withdrawals:
    holder_name: str
    withdrawals: tuple[Withdrawal, ...]  # newest first


class HousingFundService:
    """Every call raises ServiceError; ``not_found`` from ``account``, ``contributions``
    and ``issue_certificate`` means no account; ``rejected`` (409) from
    ``issue_certificate`` means the account is frozen."""

    def __init__(self, client: BackendClient) -> None:
        self._client = client

    def _post(self, path: str, id_number: str) -> dict:
        return self._client.post_json(f"{BASE}/{path}", {"id_number": id_number})

    def account(self, id_number: str) -> Account:
        return parse(Account, self._post("account", id_number), "housing fund account")

    def contributions(self, id_number: str) -> Contributions:
        return parse(Contributions, self._post("contributions", id_number), "hf contributions")

    def loans(self, id_number: str) -> Loans:
        return parse(Loans, self._post("loans", id_number), "hf loans")

    def withdrawals(self, id_number: str) -> Withdrawals:
        return parse(Withdrawals, self._post("withdrawals", id_number), "hf withdrawals")

    def issue_certificate(self, id_number: str) -> Certificate:
        return certificate_from(self._post("certificates", id_number), "hf certificate")
