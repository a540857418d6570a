"""Staff logins: argon2id password hashes, roles, and the changes that end sessions.

Two roles: ``viewer`` sees everything, ``operator`` also acknowledges alarms and
sends commands. Sessions live in the database (fleet/sessions.py); every change to
a user here (password, role, removal) ends all of that user's sessions at once.

Hashes are argon2id at OWASP's figures (19 MiB, 2 passes, 1 lane). Hashes from
older consoles (PBKDF2) still verify and are replaced on the user's next good login.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from fleet.models import StaffSession, User

ROLES = ("viewer", "operator")
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Compared against when the user does not exist, so an unknown name costs as much
# time as a known one and timing does not tell which names exist.
_DUMMY_HASH = HASHER.hash("no such user: this hash is only ever compared against")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def _check_pbkdf2(password: str, stored: str) -> bool:
    """The hashes written before argon2: ``pbkdf2$ITER$SALT$DIGEST``."""
    try:
        _scheme, iterations, salt, digest = stored.split("$")
        got = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt),
                                  int(iterations))
        return hmac.compare_digest(got, base64.b64decode(digest))
    except ValueError:
        return False


def check_password(password: str, stored: str) -> bool:
    if stored.startswith("pbkdf2$"):
        return _check_pbkdf2(password, stored)
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_upgrade(stored: str) -> bool:
    return stored.startswith("pbkdf2$") or HASHER.check_needs_rehash(stored)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")


def _end_sessions(s: Session, name: str) -> None:
    s.execute(delete(StaffSession).where(StaffSession.user == name))


def add_user(engine: Engine, name: str, password: str, role: str) -> None:
    """Create a user, or replace one's password and role (ending its sessions)."""
    _check_role(role)
    with Session(engine) as s, s.begin():
        s.merge(User(name=name, role=role, pw_hash=hash_password(password)))
        _end_sessions(s, name)


def _change(engine: Engine, name: str, **values: str) -> None:
    with Session(engine) as s, s.begin():
        done = s.execute(update(User).where(User.name == name).values(**values))
        if done.rowcount == 0:
            raise LookupError(f"no user {name!r}")
        _end_sessions(s, name)


def set_password(engine: Engine, name: str, password: str) -> None:
    _change(engine, name, pw_hash=hash_password(password))


def set_role(engine: Engine, name: str, role: str) -> None:
    _check_role(role)
    _change(engine, name, role=role)


def remove_user(engine: Engine, name: str) -> None:
    with Session(engine) as s, s.begin():
        if s.execute(delete(User).where(User.name == name)).rowcount == 0:
            raise LookupError(f"no user {name!r}")
        _end_sessions(s, name)


def end_sessions(engine: Engine, name: str) -> None:
    with Session(engine) as s, s.begin():
        _end_sessions(s, name)


def login(engine: Engine, name: str, password: str) -> str | None:
    """The user's role if the password is right, else None (as slowly for unknown names)."""
    with Session(engine) as s:
        user = s.scalars(select(User).where(User.name == name)).first()
    if user is None:
        check_password(password, _DUMMY_HASH)
        return None
    if not check_password(password, user.pw_hash):
        return None
    if needs_upgrade(user.pw_hash):
        with Session(engine) as s, s.begin():  # not _change: a login ends no sessions
            s.execute(update(User).where(User.name == name, User.pw_hash == user.pw_hash)
                      .values(pw_hash=hash_password(password)))
    return user.role
