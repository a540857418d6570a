"""Request signing as government data-sharing platforms require: app key, timestamp,
nonce and an HMAC over the request.

    string to sign = METHOD \\n PATH \\n TIMESTAMP \\n NONCE \\n hex(SHA-256(body))
    X-Signature    = hex(HMAC-SHA256(app secret, string to sign))

The back end refuses a stale timestamp (±300 s) and a nonce it has seen, so a
captured request cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Generator

import httpx


def string_to_sign(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path}\n{timestamp}\n{nonce}\n{digest}".encode()


def signature(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = string_to_sign(method, path, timestamp, nonce, body)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign_headers(
    app_key: str, secret: str, method: str, path: str, body: bytes, now: float | None = None
) -> dict[str, str]:
    timestamp = str(int(time.time() if now is None else now))
    nonce = secrets.token_hex(16)
    return {
        "X-App-Key": app_key,
        "X-Timestamp": timestamp,
        "X-Nonce": nonce,
        "X-Signature": signature(secret, method, path, timestamp, nonce, body),
    }


class SigningAuth(httpx.Auth):
    """Signs every request an httpx client sends (a fresh nonce each, retries included)."""

    requires_request_body = True

    def __init__(self, app_key: str, secret: str) -> None:
        self._app_key, self._secret = app_key, secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.update(
            sign_headers(
                self._app_key, self._secret, request.method, request.url.path, request.content
            )
        )
        yield request
