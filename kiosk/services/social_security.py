"""社保: insurance status (参保信息) and the insurance certificate (参保证明), as typed values."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from kiosk.printing.certificate import Certificate
from kiosk.services.gateway import BackendClient, parse

INSURANCE_PATH = "/api/v1/social-security/insurance"
CERTIFICATE_PATH = "/api/v1/social-security/certificates"


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


@dataclass(frozen=True)
class InsuranceStatus:
    holder_name: str
    insurances: tuple[Insurance, ...]  # empty: known person, never insured


# Wire shapes. Kept lenient on purpose (plain str, extra fields ignored) so that a back end
# adding a status or a field does not break kiosks in the field.
class _InsuranceWire(BaseModel):
    type: str
    name_zh: str
    name_en: str
    status: str
    status_zh: str
    status_en: str
    since: str
    months: int
    unit: str


class _StatusWire(BaseModel):
    holder_name: str
    insurances: list[_InsuranceWire]


class _CertificateWire(BaseModel):
    title: str
    holder_name: str
    id_number_masked: str
    rows: list[tuple[str, str]]
    verification_code: str
    verify_url: str
    issued_at: str
    issuer: str


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
        wire = parse(_CertificateWire, data, "insurance certificate")
        return Certificate(**wire.model_dump())
