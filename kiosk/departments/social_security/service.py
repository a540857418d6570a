"""社保: insurance status (参保信息) and the insurance certificate (参保证明), as typed values.

The back end's JSON is validated straight into these dataclasses (``gateway.parse``),
leniently: plain str for states and extra fields ignored, so that a back end adding a
status or a field does not break kiosks in the field."""

from __future__ import annotations

from dataclasses import dataclass

from common.privacy import personal
from kiosk.printing.certificate import Certificate
from kiosk.services.certificates import certificate_from
from kiosk.services.gateway import BackendClient, parse

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


class SocialSecurityService:
    def __init__(self, client: BackendClient) -> None:
        self._client = client

    def insurance_status(self, id_number: str) -> InsuranceStatus:
        """Raises ServiceError; ``not_found`` means the back end does not know the person."""
        data = self._client.post_json(INSURANCE_PATH, {"id_number": id_number})
        return parse(InsuranceStatus, data, "insurance status")

    def issue_certificate(self, id_number: str) -> Certificate:
        """Raises ServiceError; ``not_found`` also when the person has nothing to certify."""
        data = self._client.post_json(CERTIFICATE_PATH, {"id_number": id_number})
        return certificate_from(data, "insurance certificate")

    def contributions(self, id_number: str) -> ContributionHistory:
        """缴费记录, newest first. Raises ServiceError (``not_found``: unknown person)."""
        return parse(ContributionHistory, self._client.post_json(
            CONTRIBUTIONS_PATH, {"id_number": id_number}), "contribution history")

    def pension_payments(self, id_number: str) -> PensionPayments:
        """养老金发放, newest first. Raises ServiceError (``not_found``: unknown person)."""
        return parse(PensionPayments, self._client.post_json(
            PENSIONS_PATH, {"id_number": id_number}), "pension payments")
