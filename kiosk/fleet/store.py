"""The terminal's own small on-disk state: outbox, counters, nonces (one SQLite file).

Store-and-forward: events and statistics go into the outbox first and leave it
only when the broker has acknowledged them (QoS 1 PUBACK), so a broker outage, a
broker restart or a power cut loses nothing. ``synchronous=FULL`` because a kiosk
loses power more often than a server does. The outbox is bounded: when full the
oldest rows go, and the loss is counted and reported rather than silent.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    leaf TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, ts REAL NOT NULL);
"""


class TerminalStore:
    def __init__(self, path: str | Path, max_rows: int = 10_000):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.max_rows = max_rows
        self._lock = threading.Lock()
        # isolation_level=None: we open transactions ourselves, one per change.
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        # The stream id tells the console that seq numbers restarted (a new disk).
        self.stream = self.get("stream") or self._init_stream()

    def _init_stream(self) -> str:
        stream = uuid.uuid4().hex[:12]
        self.put("stream", stream)
        return stream

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- meta: small persisted values ------------------------------------------
    def get(self, key: str, default: Any = None) -> Any:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO meta(key, value) VALUES(?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, json.dumps(value)),
            )

    def next_bdseq(self) -> int:
        """The birth/death session counter: +1 on every connect, survives restarts."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            row = self._db.execute("SELECT value FROM meta WHERE key='bdseq'").fetchone()
            value = (json.loads(row[0]) + 1) if row else 0
            self._db.execute(
                "INSERT INTO meta(key, value) VALUES('bdseq', ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (json.dumps(value),)
            )
            self._db.execute("COMMIT")
        return value

    # -- outbox ------------------------------------------------------------------
    def enqueue(self, leaf: str, body: dict[str, Any]) -> int:
        """Persist one message; returns its seq. Drops the oldest rows beyond max_rows."""
        return self.enqueue_many(leaf, [body])[-1]

    def enqueue_many(self, leaf: str, bodies: list[dict[str, Any]],
                     meta: dict[str, Any] | None = None) -> list[int]:
        """Persist messages and ``meta`` values in one transaction (all or nothing, even
        across a power cut); returns their seqs."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            seqs = [
                self._db.execute(
                    "INSERT INTO outbox(leaf, body) VALUES(?, ?)", (leaf, json.dumps(body))
                ).lastrowid
                for body in bodies
            ]
            for key, value in (meta or {}).items():
                self._db.execute(
                    "INSERT INTO meta(key, value) VALUES(?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                    (key, json.dumps(value)),
                )
            over = self._db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] - self.max_rows
            if over > 0:
                self._db.execute(
                    "DELETE FROM outbox WHERE seq IN "
                    "(SELECT seq FROM outbox ORDER BY seq LIMIT ?)", (over,)
                )
                row = self._db.execute("SELECT value FROM meta WHERE key='dropped'").fetchone()
                dropped = (json.loads(row[0]) if row else 0) + over
                self._db.execute(
                    "INSERT INTO meta(key, value) VALUES('dropped', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (json.dumps(dropped),)
                )
            self._db.execute("COMMIT")
        return seqs

    def pending(self, after: int = 0, limit: int = 100) -> list[tuple[int, str, dict[str, Any]]]:
        """The oldest undelivered messages after ``after``, in order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, leaf, body FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                (after, limit),
            ).fetchall()
        return [(seq, leaf, json.loads(body)) for seq, leaf, body in rows]

    def delivered(self, seq: int) -> None:
        with self._lock:
            self._db.execute("DELETE FROM outbox WHERE seq=?", (seq,))

    def backlog(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]

    # -- command nonces (no replay, across restarts) ---------------------------------
    def use_nonce(self, nonce: str, ts: float, keep_s: float) -> bool:
        """Record a nonce; False if it was seen before. Forgets those older than keep_s."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM nonces WHERE ts < ?", (time.time() - keep_s,))
            try:
                self._db.execute("INSERT INTO nonces(nonce, ts) VALUES(?, ?)", (nonce, ts))
            except sqlite3.IntegrityError:
                self._db.execute("ROLLBACK")
                return False
            self._db.execute("COMMIT")
        return True
