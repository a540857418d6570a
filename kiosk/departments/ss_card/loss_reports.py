"""The kiosk's own record of 社保卡 loss reports, in SQLite (WAL, synchronous).

The idempotency key is written before the report leaves the kiosk, and its outcome
after, so a kiosk that lost the answer (or the power) knows a report may be on its way,
and the same session asking again sends the same key: the back end makes one report.
Nothing here identifies the citizen or the card: a random key, a state, the back end's
receipt number and times.
"""

from __future__ import annotations

import hashlib

from kiosk.sqlite_store import SqliteStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS loss_reports (
    key        TEXT PRIMARY KEY,      -- the idempotency key sent with the report
    state      TEXT NOT NULL,         -- requested | reported | refused | unknown | not_done
    report_ref TEXT,                  -- the back end's receipt number, once known
    created    REAL NOT NULL,
    updated    REAL NOT NULL
);
"""


def idempotency_key(session_ref: str) -> str:
    """One per session: the citizen's second tap in the same visit is the same report."""
    return hashlib.sha256(f"{session_ref}:sscard-loss".encode()).hexdigest()[:32]


class LossReportStore(SqliteStore):
    """Thread-safe: written from the worker."""

    schema = SCHEMA

    def request(self, key: str) -> None:
        """Before the report leaves the kiosk. A key seen before is kept as it is."""
        now = self._clock()
        self._run("INSERT OR IGNORE INTO loss_reports VALUES (?, 'requested', NULL, ?, ?)",
                  (key, now, now))

    def settle(self, key: str, state: str, report_ref: str | None = None) -> None:
        self._run("UPDATE loss_reports SET state = ?, report_ref = COALESCE(?, report_ref),"
                  " updated = ? WHERE key = ?", (state, report_ref, self._clock(), key))

    def state(self, key: str) -> str | None:
        row = self._run("SELECT state FROM loss_reports WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
