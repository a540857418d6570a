"""医保电子凭证: a short-lived QR payload that puts the e-voucher on the citizen's phone.

The kiosk shows the payload as a QR code; the phone's app claims it once (in the demo,
``POST /api/v1/_demo/e-voucher/{token}``). A token carries 100 random bits and nothing
personal, lives ``VOUCHER_TTL``, and a second claim is refused, so a photo of the
screen taken by someone behind the citizen is worth nothing a few minutes later.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend import db
from backend.errors import ERROR_RESPONSES, ApiError, ErrorBody, not_found
from backend.models import IdNumberRequest, mask_name
from backend.settings import API_PREFIX, CHINA_TZ, Settings, SettingsDep

router = APIRouter(prefix="/medical-insurance", tags=["medical-insurance"])
demo_router = APIRouter(prefix=f"{API_PREFIX}/_demo", include_in_schema=False)

VOUCHER_TTL = timedelta(minutes=3)
VOUCHER_BASE = "https://mi.example.gov.cn/ec/activate"
CONFLICT = {409: {"model": ErrorBody, "description": "not_insured"}}


class VoucherOut(BaseModel):
    qr_payload: str = Field(description="what the QR code encodes; nothing personal in it")
    expires_at: str = Field(examples=["2026-11-22T20:18:42+08:00"])
    valid_seconds: int


def _now(settings: Settings) -> datetime:
    return settings.clock().astimezone(CHINA_TZ)


@router.post("/e-voucher", response_model=VoucherOut, responses={**ERROR_RESPONSES, **CONFLICT})
def issue_voucher(body: IdNumberRequest, settings: SettingsDep) -> VoucherOut:
    """A fresh activation payload for the person's 医保电子凭证 (409 if not insured)."""
    now = _now(settings)
    with db.connection(settings.db_path) as conn:
        member = conn.execute("SELECT state FROM mi_members WHERE id_number = ?",
                              (body.id_number,)).fetchone()
        if member is None:
            raise not_found("no medical insurance record for this person")
        if member["state"] == "lapsed":
            raise ApiError(409, "not_insured", "not insured this year")
        conn.execute("DELETE FROM mi_vouchers WHERE expires_at < ?",
                     (now.isoformat(timespec="seconds"),))
        token = base64.b32encode(secrets.token_bytes(10)).decode()
        expires = (now + VOUCHER_TTL).isoformat(timespec="seconds")
        conn.execute("INSERT INTO mi_vouchers VALUES (?, ?, ?, NULL)",
                     (token, body.id_number, expires))
    return VoucherOut(qr_payload=f"{VOUCHER_BASE}?t={token}", expires_at=expires,
                      valid_seconds=int(VOUCHER_TTL.total_seconds()))


@demo_router.post("/e-voucher/{token}")
def demo_claim(token: str, settings: SettingsDep) -> dict:
    """The citizen's phone claiming the voucher (demo only): once, before it expires."""
    now = _now(settings).isoformat(timespec="seconds")
    with db.connection(settings.db_path) as conn:
        row = conn.execute("SELECT v.*, p.name FROM mi_vouchers v JOIN persons p"
                           " USING (id_number) WHERE token = ?", (token,)).fetchone()
        if row is None:
            raise not_found("no such voucher")
        if row["expires_at"] < now:
            raise ApiError(409, "voucher_expired", "this code has expired")
        claimed = conn.execute("UPDATE mi_vouchers SET claimed_at = ? WHERE token = ?"
                               " AND claimed_at IS NULL", (now, token)).rowcount == 1
    if not claimed:
        raise ApiError(409, "voucher_used", "this code was used already")
    return {"claimed": True, "holder_name_masked": mask_name(row["name"])}
