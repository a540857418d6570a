"""Request/response models shared by departments (they also document /openapi.json)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend.citizens import is_valid_id_number
from common import privacy

_ID_SHAPE = re.compile(r"\d{17}[\dX]", re.ASCII)


class StrictRequest(BaseModel):
    # Unknown fields are refused, so nothing personal slips in where it is not expected.
    model_config = ConfigDict(extra="forbid")


class IdNumberRequest(StrictRequest):
    id_number: str = Field(description="18-character resident ID number (GB 11643)")

    @field_validator("id_number")
    @classmethod
    def _gb11643(cls, value: str) -> str:
        value = value.upper()
        if not _ID_SHAPE.fullmatch(value):
            raise ValueError("must be 18 characters: 17 digits then a digit or X")
        if not is_valid_id_number(value):
            raise ValueError("check digit does not match (GB 11643)")
        return value


class CertificateOut(BaseModel):
    """A printable certificate; the fields of ``kiosk.printing.certificate.Certificate``."""

    title: str
    holder_name: str
    id_number_masked: str = Field(examples=["440304********123X"])
    rows: list[tuple[str, str]] = Field(description="(label, value) lines, in print order")
    verification_code: str
    verify_url: str
    issued_at: str = Field(examples=["2026-11-22 20:15"])
    issuer: str


def mask_id_number(id_number: str) -> str:
    """First 6 and last 4 characters kept: "440304********123X"."""
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


# One rule for names wherever they are shown masked, on a screen or on paper (张*例).
mask_name = privacy.mask_name
