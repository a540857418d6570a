"""Signed commands: HMAC-SHA256 over the canonical JSON, a timestamp and a nonce.

The broker's ACL decides who may publish to a command topic; the signature decides
whether the terminal obeys, whatever the broker says. Each terminal holds only its
own key, derived from the fleet key (``terminal_key``), so a stolen terminal key
cannot command any other terminal. The console holds the fleet key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any

MAX_SKEW_S = 60.0  # a command older (or further in the future) than this is refused


def terminal_key(fleet_key: bytes, terminal: str) -> bytes:
    return hmac.new(fleet_key, f"kiosk-cmd:{terminal}".encode(), hashlib.sha256).digest()


def _canonical(body: dict[str, Any]) -> bytes:
    unsigned = {k: v for k, v in body.items() if k != "sig"}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":")).encode()


def sign_command(
    key: bytes, terminal: str, cmd: str, args: dict[str, Any] | None = None, by: str = "",
    now: float | None = None,
) -> dict[str, Any]:
    """A command body for ``terminal`` signed with that terminal's key."""
    body = {
        "id": secrets.token_hex(8),
        "terminal": terminal,  # signed: a command for one terminal is no good on another
        "cmd": cmd,
        "args": args or {},
        "by": by,
        "ts": round(time.time() if now is None else now, 3),
        "nonce": secrets.token_hex(12),
    }
    body["sig"] = hmac.new(key, _canonical(body), hashlib.sha256).hexdigest()
    return body


class Refused(Exception):
    """The command is not obeyed; the message says why (sent back to the console)."""


def check_command(
    key: bytes, terminal: str, body: dict[str, Any], now: float | None = None
) -> None:
    """Raise Refused unless the signature, target and timestamp are right.

    The nonce is checked by the caller against its persisted store (no replay).
    """
    sig = body.get("sig")
    if not isinstance(sig, str):
        raise Refused("unsigned")
    expected = hmac.new(key, _canonical(body), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(sig, expected):
        raise Refused("bad signature")
    if body.get("terminal") != terminal:
        raise Refused("not for this terminal")
    ts = body.get("ts")
    now = time.time() if now is None else now
    if not isinstance(ts, int | float) or abs(now - ts) > MAX_SKEW_S:
        raise Refused("stale or future timestamp")
    if not isinstance(body.get("nonce"), str) or len(body["nonce"]) < 16:
        raise Refused("no nonce")
