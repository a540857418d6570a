"""The one wire shape of a certificate (参保证明, 缴存证明, a fine's receipt): every
department that issues one parses it here."""

from __future__ import annotations

from typing import Any

from kiosk.printing.certificate import Certificate
from kiosk.services.gateway import parse
from kiosk.services.values import PersonalValue


class _CertificateWire(PersonalValue):
    title: str
    holder_name: str
    id_number_masked: str
    rows: list[tuple[str, str]]
    verification_code: str
    verify_url: str
    issued_at: str
    issuer: str


def certificate_from(data: dict[str, Any], what: str) -> Certificate:
    """A back end's certificate; ServiceError ``bad_response`` if it has another shape."""
    return Certificate(**parse(_CertificateWire, data, what).model_dump())
