"""The terminal's own record of what it did, in SQLite (WAL), written before the
citizen is told the outcome, so a power cut cannot lose it.

Nothing here identifies the citizen: a session is a random reference, a service is
its name, an outcome a word. Three kinds of row: a service used (``transactions``), a
rating (``ratings``) and a whole visit, from the first touch to its end (``visits``:
rated, timed out or cancelled, how long, whether something was printed). It is the
single record of service use: the fleet's statistics (电子监察) are read from its rows
(kiosk/fleet/feed.py), and it is the outbox for ratings (好差评) until the back end has
taken them.
"""

from __future__ import annotations

import heapq
import itertools
import json
import time
from dataclasses import dataclass
from pathlib import Path

from common.events import Topic
from kiosk.sqlite_store import SqliteStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS transactions (
    id          INTEGER PRIMARY KEY,
    session_ref TEXT NOT NULL,
    service     TEXT NOT NULL,           -- e.g. "ss.insurance_status"
    outcome     TEXT NOT NULL,           -- "ok", "failed", "not_found", ...
    duration_ms INTEGER NOT NULL,
    at          REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS ratings (
    id           INTEGER PRIMARY KEY,
    session_ref  TEXT NOT NULL UNIQUE,
    service      TEXT NOT NULL,
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    reasons      TEXT NOT NULL,          -- JSON list of reason codes
    at           REAL NOT NULL,
    delivered_at REAL                    -- NULL until the back end accepted it
);
CREATE TABLE IF NOT EXISTS visits (
    id          INTEGER PRIMARY KEY,
    session_ref TEXT NOT NULL UNIQUE,
    service     TEXT NOT NULL,           -- the last service chosen; "none" if none was
    outcome     TEXT NOT NULL,           -- "rated", "timeout", "cancelled", ...
    duration_ms INTEGER NOT NULL,
    printed     INTEGER NOT NULL,        -- 1 if a document was printed
    at          REAL NOT NULL
);
"""
KINDS = ("use", "rating", "visit")  # the feed's cursor has one position per kind


@dataclass(frozen=True)
class PendingRating:
    id: int
    session_ref: str  # also the rating's id at the back end, which stores a resend once
    service: str
    score: int
    reasons: list[str]


@dataclass(frozen=True)
class JournalRow:
    """One row as the fleet feed reads it: no session reference, no rating reasons."""

    kind: str  # "use" (transactions), "rating" (ratings) or "visit" (visits)
    id: int  # the row's id in its table: the feed's cursor
    service: str
    at: float
    outcome: str = ""  # use and visit
    duration_ms: int = 0  # use and visit
    score: int | None = None  # rating only
    printed: bool = False  # visit only


class Journal(SqliteStore):
    """Thread-safe: the UI thread records, the worker delivers, the fleet feed reads."""

    schema = SCHEMA

    def __init__(self, path: Path, clock=time.time) -> None:
        super().__init__(path, clock)
        # Told after each new row, with its kind ("use", "rating" or "visit").
        self.written: Topic[str] = Topic("journal.written")

    def _written(self, kind: str) -> None:
        self.written.publish(kind)

    def record(self, session_ref: str, service: str, outcome: str, duration_s: float) -> None:
        self._run(
            "INSERT INTO transactions (session_ref, service, outcome, duration_ms, at)"
            " VALUES (?, ?, ?, ?, ?)",
            (session_ref, service, outcome, round(duration_s * 1000), self._clock()),
        )
        self._written("use")

    def rate(self, session_ref: str, service: str, score: int, reasons: list[str]) -> None:
        """One rating per session; a second for the same session is ignored."""
        self._run(
            "INSERT OR IGNORE INTO ratings (session_ref, service, score, reasons, at)"
            " VALUES (?, ?, ?, ?, ?)",
            (session_ref, service, score, json.dumps(reasons), self._clock()),
        )
        self._written("rating")

    def visit(
        self, session_ref: str, service: str, outcome: str, duration_s: float, printed: bool
    ) -> None:
        """The whole visit, once, when the session ends."""
        self._run(
            "INSERT OR IGNORE INTO visits"
            " (session_ref, service, outcome, duration_ms, printed, at) VALUES (?, ?, ?, ?, ?, ?)",
            (session_ref, service, outcome, round(duration_s * 1000), int(printed),
             self._clock()),
        )
        self._written("visit")

    def pending_ratings(self, limit: int = 50) -> list[PendingRating]:
        rows = self._run(
            "SELECT id, session_ref, service, score, reasons FROM ratings"
            " WHERE delivered_at IS NULL ORDER BY id LIMIT ?",
            (limit,),
        ).fetchall()
        return [PendingRating(i, ref, s, sc, json.loads(r)) for i, ref, s, sc, r in rows]

    def delivered(self, rating_id: int) -> None:
        self._run("UPDATE ratings SET delivered_at = ? WHERE id = ?", (self._clock(), rating_id))

    def rows_after(self, cursor: dict[str, int], limit: int = 200) -> list[JournalRow]:
        """Rows written after ``cursor`` (the last id read, per kind), oldest first."""
        uses = self._run(
            "SELECT id, service, outcome, duration_ms, at FROM transactions"
            " WHERE id > ? ORDER BY id LIMIT ?", (cursor.get("use", 0), limit),
        ).fetchall()
        ratings = self._run(
            "SELECT id, service, score, at FROM ratings WHERE id > ? ORDER BY id LIMIT ?",
            (cursor.get("rating", 0), limit),
        ).fetchall()
        visits = self._run(
            "SELECT id, service, outcome, duration_ms, printed, at FROM visits"
            " WHERE id > ? ORDER BY id LIMIT ?", (cursor.get("visit", 0), limit),
        ).fetchall()
        # Merged by time, each table kept in id order (even if the clock stepped back),
        # so the cut at ``limit`` never skips a row its cursor would then pass.
        merged = heapq.merge(
            [JournalRow("use", i, s, at, outcome=o, duration_ms=ms) for i, s, o, ms, at in uses],
            [JournalRow("rating", i, s, at, score=sc) for i, s, sc, at in ratings],
            [JournalRow("visit", i, s, at, outcome=o, duration_ms=ms, printed=bool(pr))
             for i, s, o, ms, pr, at in visits],
            key=lambda r: r.at,
        )
        return list(itertools.islice(merged, limit))

    def stats(self, since: float = 0.0) -> dict[str, dict[str, float]]:
        """Per service: transactions, failures, mean duration, ratings and mean score."""
        out: dict[str, dict[str, float]] = {}
        for service, count, failed, mean_ms in self._run(
            "SELECT service, COUNT(*), SUM(outcome != 'ok'), AVG(duration_ms)"
            " FROM transactions WHERE at >= ? GROUP BY service",
            (since,),
        ):
            out[service] = {"count": count, "failed": failed, "mean_ms": round(mean_ms)}
        for service, count, mean in self._run(
            "SELECT service, COUNT(*), AVG(score) FROM ratings WHERE at >= ? GROUP BY service",
            (since,),
        ):
            entry = out.setdefault(service, {"count": 0, "failed": 0, "mean_ms": 0})
            entry.update(ratings=count, mean_score=round(mean, 2))
        return out
