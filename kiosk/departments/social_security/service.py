"""社保: insurance status (参保信息) and the insurance certificate (参保证明), as typed values."""

from __future__ import annotations

from dataclasses import dataclass

from common.privacy import personal
from kiosk.printing.certificate import Certificate
from kiosk.services.certificates import certificate_from
from kiosk.services.gateway import BackendClient, parse
from kiosk.services.values import PersonalValue

INSURANCE_PATH = "/api/v1/social-security/insurance"
CERTIFICATE_PATH = "/api/v1/social-security/certificates"
CONTRIBUTIONS_PATH = "/api/v1/social-security/contributions"
PENSIONS_PATH = "/api/v1/social-security/pension-payments"


@personal
@dataclass(frozen=True)
class Insurance:
    type: str  # "pension" | "medical" | "unemployment" | "injury" | "maternity"
    name_zh: str  # "基本养老保险"
    name_en: str
    status: str  # "paying" | "suspended" | "retired" | ... (new ones shown by their names)
    status_zh: str
    status_en: str
    since: str  # "YYYY-MM"
    months: int  # months paid in total
    unit: str  # employer, or how the person is insured


@personal
@dataclass(frozen=True)
class InsuranceStatus:
    holder_name: str
    insurances: tuple[Insurance, ...]  # empty: known person, never insured


@personal
@dataclass(frozen=True)
class ContributionMonth:
    month: str  # "YYYY-MM"
    unit: str
    base_fen: int
    unit_fen: int  # the employer's share
    personal_fen: int
    kind: str  # "regular" | "back_pay" (补缴)


@personal
@dataclass(frozen=True)
class ContributionHistory:
    holder_name: str
    months: tuple[ContributionMonth, ...]  # newest first
    total_personal_fen: int


@personal
@dataclass(frozen=True)
class PensionPayment:
    month: str
    amount_fen: int
    paid_on: str  # "YYYY-MM-DD"
    bank: str  # "中国工商银行（尾号6621）"
    bank_en: str = ""  # "" from a back end that sends no English


@personal
@dataclass(frozen=True)
class PensionPayments:
    holder_name: str
    payments: tuple[PensionPayment, ...]  # newest first; empty: draws no pension


# Wire shapes. Kept lenient on purpose (plain str, extra fields ignored) so that a back end
# adding a status or a field does not break kiosks in the field.
class _InsuranceWire(PersonalValue):
    type: str
    name_zh: str
    name_en: str
    status: str
    status_zh: str
    status_en: str
    since: str
    months: int
    unit: str


class _StatusWire(PersonalValue):
    holder_name: str
    insurances: list[_InsuranceWire]


class _MonthWire(PersonalValue):
    month: str
    unit: str
    base_fen: int
    unit_fen: int
    personal_fen: int
    kind: str


class _HistoryWire(PersonalValue):
    holder_name: str
    months: list[_MonthWire]
    total_personal_fen: int


class _PaymentWire(PersonalValue):
    month: str
    amount_fen: int
    paid_on: str
    bank: str
    bank_en: str = ""


class _PaymentsWire(PersonalValue):
    holder_name: str
    payments: list[_PaymentWire]


class SocialSecurityService:
    def __init__(self, client: BackendClient) -> None:
        self._client = client

    def insurance_status(self, id_number: str) -> InsuranceStatus:
        """Raises ServiceError; ``not_found`` means the back end does not know the person."""
        data = self._client.post_json(INSURANCE_PATH, {"id_number": id_number})
        wire = parse(_StatusWire, data, "insurance status")
        return InsuranceStatus(
            holder_name=wire.holder_name,
            insurances=tuple(Insurance(**i.model_dump()) for i in wire.insurances),
        )

    def issue_certificate(self, id_number: str) -> Certificate:
        """Raises ServiceError; ``not_found`` also when the person has nothing to certify."""
        data = self._client.post_json(CERTIFICATE_PATH, {"id_number": id_number})
        return certificate_from(data, "insurance certificate")

    def contributions(self, id_number: str) -> ContributionHistory:
        """缴费记录, newest first. Raises ServiceError (``not_found``: unknown person)."""
        wire = parse(_HistoryWire, self._client.post_json(
            CONTRIBUTIONS_PATH, {"id_number": id_number}), "contribution history")
        return ContributionHistory(
            holder_name=wire.holder_name,
            months=tuple(ContributionMonth(**m.model_dump()) for m in wire.months),
            total_personal_fen=wire.total_personal_fen,
        )

    def pension_payments(self, id_number: str) -> PensionPayments:
        """养老金发放, newest first. Raises ServiceError (``not_found``: unknown person)."""
        wire = parse(_PaymentsWire, self._client.post_json(
            PENSIONS_PATH, {"id_number": id_number}), "pension payments")
        return PensionPayments(
            holder_name=wire.holder_name,
            payments=tuple(PensionPayment(**p.model_dump()) for p in wire.payments),
        )
