"""Staff logins: salted PBKDF2 password hashes, roles, and a signed session cookie.

Two roles: ``viewer`` sees everything, ``operator`` also acknowledges alarms and
sends commands. The cookie is ``name|role|expiry|HMAC``: nothing to store per
session, and any console process with the same secret accepts it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from fleet.models import User

ROLES = ("viewer", "operator")
ITERATIONS = 120_000
SESSION_S = 12 * 3600


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS)
    b64 = base64.b64encode
    return f"pbkdf2${ITERATIONS}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        _scheme, iterations, salt, digest = stored.split("$")
        got = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt),
                                  int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def add_user(engine: Engine, name: str, password: str, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    with Session(engine) as s, s.begin():
        s.merge(User(name=name, role=role, pw_hash=hash_password(password)))


def login(engine: Engine, name: str, password: str) -> str | None:
    """The user's role if the password is right, else None."""
    with Session(engine) as s:
        user = s.scalars(select(User).where(User.name == name)).first()
    if user is None or not check_password(password, user.pw_hash):
        return None
    return user.role


class Cookies:
    def __init__(self, secret: bytes):
        self._secret = secret

    def _mac(self, text: str) -> str:
        return hmac.new(self._secret, text.encode(), hashlib.sha256).hexdigest()

    def issue(self, name: str, role: str) -> str:
        text = f"{name}|{role}|{int(time.time()) + SESSION_S}"
        return f"{text}|{self._mac(text)}"

    def read(self, cookie: str | None) -> tuple[str, str] | None:
        """(name, role) from a valid, unexpired cookie."""
        if not cookie or cookie.count("|") != 3:
            return None
        name, role, expiry, mac = cookie.split("|")
        if not hmac.compare_digest(mac, self._mac(f"{name}|{role}|{expiry}")):
            return None
        if not expiry.isdigit() or int(expiry) < time.time() or role not in ROLES:
            return None
        return name, role
