"""Checks the kiosk's request signature (see kiosk/services/signing.py for the scheme).

Written separately from the kiosk's signer on purpose: a golden vector in the tests
ties the two, so a mistake made on one side cannot hide behind the same mistake
on the other.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from typing import NamedTuple

from fastapi import Request

from backend import db
from backend.errors import ApiError

WINDOW_S = 300  # a timestamp further than this from the back end's clock is refused


class SignedHeaders(NamedTuple):
    key: str
    ts: str
    nonce: str
    sig: str
    secret: str


def expected_signature(
    secret: str, method: str, path: str, ts: str, nonce: str, body: bytes
) -> str:
    canonical = "\n".join([method.upper(), path, ts, nonce, hashlib.sha256(body).hexdigest()])
    return hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def check_headers(app_keys: Mapping[str, str], headers: Mapping[str, str]) -> SignedHeaders:
    """What can be refused from the headers alone: the body-guard middleware calls this
    before a byte of the body is read, so an unsigned upload costs the server nothing."""
    key, ts, nonce, sig = (
        headers.get(h, "") for h in ("x-app-key", "x-timestamp", "x-nonce", "x-signature")
    )
    if not (key and ts and nonce and sig):
        raise ApiError(401, "unsigned", "X-App-Key, X-Timestamp, X-Nonce and X-Signature required")
    secret = app_keys.get(key)
    if secret is None:
        raise ApiError(401, "unknown_app", "this app key is not registered")
    if not ts.isdigit() or abs(time.time() - int(ts)) > WINDOW_S:
        raise ApiError(401, "stale_timestamp", f"timestamp is more than {WINDOW_S} s off")
    return SignedHeaders(key, ts, nonce, sig, secret)


async def verify_signature(request: Request) -> None:
    """FastAPI dependency on every department route."""
    settings = request.app.state.settings
    key, ts, nonce, sig, secret = check_headers(settings.app_keys, request.headers)
    body = await request.body()
    wanted = expected_signature(secret, request.method, request.url.path, ts, nonce, body)
    if not hmac.compare_digest(wanted, sig):
        raise ApiError(401, "bad_signature", "the signature does not match the request")
    if not db.use_nonce(settings.db_path, key, nonce, int(ts), WINDOW_S):
        raise ApiError(401, "replayed_nonce", "this nonce was used before")
