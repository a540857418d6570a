"""Server-side staff sessions: a random token in the cookie, its SHA-256 in the store.

Every request looks the token up and reads the user's role from the users table,
so a demotion, a new password or a logout (fleet/auth.py ends the rows) takes
effect on the very next request of every browser that user had. A session ends
after ``idle_s`` without a request and ``max_s`` after login, whatever happens.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from fleet.models import StaffSession, User

IDLE_S = 3600.0
MAX_S = 12 * 3600.0
TOUCH_S = 30.0  # last_seen is written at most this often per session (the board polls)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass
class SessionStore:
    engine: Engine
    idle_s: float = IDLE_S
    max_s: float = MAX_S

    def issue(self, name: str) -> str:
        token = secrets.token_urlsafe(32)
        now = time.time()
        with Session(self.engine) as s, s.begin():
            s.add(StaffSession(token_hash=_digest(token), user=name, created=now,
                               last_seen=now))
            # Expired rows go when someone logs in: the table never holds stale logins long.
            s.execute(delete(StaffSession).where(
                (StaffSession.last_seen < now - self.idle_s)
                | (StaffSession.created < now - self.max_s)))
        return token

    def read(self, token: str | None, touch: bool = True) -> tuple[str, str] | None:
        """(name, role) for a live session, checked against the store now."""
        if not token or len(token) > 100:
            return None
        key = _digest(token)
        now = time.time()
        with Session(self.engine) as s:
            row = s.execute(select(StaffSession, User.role)
                            .join(User, User.name == StaffSession.user)
                            .where(StaffSession.token_hash == key)).first()
        if row is None:
            return None
        sess, role = row
        if now - sess.last_seen > self.idle_s or now - sess.created > self.max_s:
            self.end(token)
            return None
        if touch and now - sess.last_seen > min(TOUCH_S, self.idle_s / 10):
            with Session(self.engine) as s, s.begin():
                s.execute(update(StaffSession).where(StaffSession.token_hash == key)
                          .values(last_seen=now))
        return sess.user, role

    def end(self, token: str) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(delete(StaffSession).where(StaffSession.token_hash == _digest(token)))
