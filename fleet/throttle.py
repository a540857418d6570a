"""Login throttling: a lockout per user name and per client address, in the store.

Counting per user stops a guesser who spreads over many addresses; per address,
one who sprays many names. Either alone would let an attacker lock a user out
for ever at the price of a few guesses every lockout period, so a browser that
logged in as that user before carries a *device cookie* (signed, for that name):
it is counted on its own and is not held by the user's lockout. Someone who
never had the password can thus lock a name only for new browsers, never for
the staff member at their usual desk (OWASP's "device cookies").
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from fleet.models import LoginFailures

DEVICE_COOKIE = "fleet_device"
WINDOW_S = 900.0  # failures count for this long
LOCK_S = 900.0  # and then lock the key for this long
USER_LIMIT = 5
DEVICE_LIMIT = 5
ADDR_LIMIT = 20


@dataclass
class LoginThrottle:
    engine: Engine
    secret: bytes
    lock_s: float = LOCK_S

    def _mac(self, name: str, nonce: str) -> str:
        text = f"device|{name}|{nonce}".encode("utf-8", "surrogateescape")
        return hmac.new(self.secret, text, hashlib.sha256).hexdigest()

    def device_cookie(self, name: str) -> str:
        nonce = secrets.token_urlsafe(16)
        return f"{nonce}.{self._mac(name, nonce)}"

    def _device(self, name: str, cookie: str | None) -> str | None:
        """The device id, if the cookie was issued to this browser for this name."""
        if not cookie or cookie.count(".") != 1 or len(cookie) > 200:
            return None
        nonce, mac = cookie.split(".")
        if not mac.isascii() or not hmac.compare_digest(mac, self._mac(name, nonce)):
            return None
        return nonce

    def _keys(self, name: str, addr: str, cookie: str | None) -> dict[str, int]:
        device = self._device(name, cookie)
        keys = {f"addr:{addr}": ADDR_LIMIT}
        if device:
            keys[f"device:{device}"] = DEVICE_LIMIT
        else:
            keys[f"user:{name[:150]}"] = USER_LIMIT
        return keys

    def locked_for(self, name: str, addr: str, cookie: str | None) -> float:
        """Seconds until this attempt may be tried; 0 when it may be tried now."""
        now = time.time()
        with Session(self.engine) as s:
            rows = s.scalars(select(LoginFailures).where(
                LoginFailures.key.in_(self._keys(name, addr, cookie)))).all()
        return max([r.locked_until - now for r in rows] + [0.0])

    def failed(self, name: str, addr: str, cookie: str | None) -> None:
        now = time.time()
        with Session(self.engine) as s, s.begin():
            for key, limit in self._keys(name, addr, cookie).items():
                row = s.get(LoginFailures, key) or LoginFailures(
                    key=key, failures=0, window_start=now, locked_until=0)
                if now - row.window_start > WINDOW_S:
                    row.failures, row.window_start = 0, now
                row.failures += 1
                if row.failures >= limit:
                    row.locked_until, row.failures, row.window_start = now + self.lock_s, 0, now
                s.merge(row)

    def succeeded(self, name: str, addr: str, cookie: str | None) -> str:
        """Clear the user's and the device's count; the device cookie to set. The
        address's count stays: a guesser with a login of their own cannot reset it."""
        keys = [k for k in self._keys(name, addr, cookie) if not k.startswith("addr:")]
        with Session(self.engine) as s, s.begin():
            s.execute(delete(LoginFailures).where(LoginFailures.key.in_(keys)))
        return cookie if self._device(name, cookie) else self.device_cookie(name)
