"""Verifying a printed certificate by its code (what the QR code leads to), any department."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from backend import certificates, db
from backend.errors import ERROR_RESPONSES, not_found
from backend.settings import SettingsDep

router = APIRouter(prefix="/certificates", tags=["certificates"])


class Verification(BaseModel):
    valid: bool
    kind: str  # e.g. "social_security.insurance"
    issued_at: str  # "YYYY-MM-DD HH:MM", China time
    holder_name_masked: str  # "张*例": enough to match the paper, not enough to identify


@router.get("/{code}", response_model=Verification, responses={404: ERROR_RESPONSES[404]})
def verify(code: str, settings: SettingsDep) -> Verification:
    with db.connection(settings.db_path) as conn:
        found = certificates.lookup(conn, code)
    if found is None:
        raise not_found("no certificate with this verification code")
    return Verification(
        valid=True,
        kind=found["kind"],
        issued_at=found["issued_at"],
        holder_name_masked=found["holder_masked"],
    )
