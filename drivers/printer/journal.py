"""The print journal: every job is on disk (SQLite, WAL) before its first byte is sent.

A job moves pending -> sending -> done, or -> failed (cut short: paper out, cover open,
no answer, power loss). Only pending and failed jobs can be sent again; a done job never
is, and a job submitted again under the same key is not added twice. At start-up a job
still "sending" was interrupted (the kiosk lost power or crashed mid-job): it becomes
failed and is reported. A job's bytes (the printed document, which names the citizen)
are deleted as soon as it is done, and after ``keep_failed_s`` when it never was.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

INTERRUPTED = "interrupted (power loss or crash): it may have printed in part, check first"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT UNIQUE,
    kind TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    size INTEGER NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    updated REAL NOT NULL,
    payload BLOB
)
"""


class JobState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DONE = "done"
    FAILED = "failed"


class JobError(RuntimeError):
    """A journal transition that must not happen (e.g. printing a done job again)."""


@dataclass(frozen=True)
class Job:
    id: int
    key: str | None
    kind: str  # "certificate", "test-page": never anything personal
    state: JobState
    attempts: int
    size: int  # bytes
    detail: str
    created: float
    updated: float

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "state": self.state.value,
                "attempts": self.attempts, "size": self.size, "detail": self.detail,
                "created": round(self.created, 3), "updated": round(self.updated, 3)}


_COLUMNS = "id, key, kind, state, attempts, size, detail, created, updated"


class PrintJournal:
    def __init__(self, path: str | Path = ":memory:", keep_failed_s: float = 24 * 3600) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path, self.keep_failed_s = str(path), keep_failed_s
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                   timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a journaled job survives a power cut
        self._db.execute("PRAGMA secure_delete=ON")  # deleted documents are overwritten
        self._db.execute(_SCHEMA)

    @contextlib.contextmanager
    def _tx(self) -> Iterator[None]:
        """One write transaction; IMMEDIATE so two processes (kiosk, CLI) never interleave."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _row(self, job_id: int) -> Job:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise JobError(f"no job {job_id}")
        return _job(row)

    def add(self, payload: bytes, key: str | None = None, kind: str = "") -> Job:
        """Journal a new pending job; under a known key, the existing job instead."""
        with self._tx():
            if key is not None:
                row = self._db.execute(f"SELECT {_COLUMNS} FROM jobs WHERE key = ?",
                                       (key,)).fetchone()
                if row is not None:
                    return _job(row)
            now = time.time()
            cur = self._db.execute(
                "INSERT INTO jobs (key, kind, state, size, created, updated, payload) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key, kind, JobState.PENDING.value, len(payload), now, now, payload),
            )
            return self._row(int(cur.lastrowid or 0))

    def begin(self, job_id: int) -> tuple[Job, bytes]:
        """pending/failed -> sending (one more attempt); returns the job and its bytes."""
        with self._tx():
            job = self._row(job_id)
            if job.state is JobState.DONE:
                raise JobError(f"job {job_id} was already printed")
            if job.state is JobState.SENDING:
                raise JobError(f"job {job_id} is being sent")
            (payload,) = self._db.execute("SELECT payload FROM jobs WHERE id = ?",
                                          (job_id,)).fetchone()
            if payload is None:
                raise JobError(f"job {job_id} is too old to print again (its data was deleted)")
            self._set(job_id, JobState.SENDING, "", attempts=job.attempts + 1)
            return self._row(job_id), bytes(payload)

    def finish(self, job_id: int) -> Job:
        with self._tx():
            self._expect(job_id, JobState.SENDING)
            self._set(job_id, JobState.DONE, "")
            self._db.execute("UPDATE jobs SET payload = NULL WHERE id = ?", (job_id,))
            job = self._row(job_id)
        self._forget()
        return job

    def _forget(self) -> None:
        """Checkpoint and empty the WAL: it still holds the pages with the deleted document."""
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def fail(self, job_id: int, detail: str) -> Job:
        with self._tx():
            self._expect(job_id, JobState.SENDING)
            self._set(job_id, JobState.FAILED, detail)
            return self._row(job_id)

    def _expect(self, job_id: int, state: JobState) -> None:
        job = self._row(job_id)
        if job.state is not state:
            raise JobError(f"job {job_id} is {job.state.value}, not {state.value}")

    def _set(self, job_id: int, state: JobState, detail: str, attempts: int | None = None) -> None:
        self._db.execute(
            "UPDATE jobs SET state = ?, detail = ?, updated = ?, "
            "attempts = COALESCE(?, attempts) WHERE id = ?",
            (state.value, detail, time.time(), attempts, job_id),
        )

    def get(self, job_id: int) -> Job:
        with self._lock:
            return self._row(job_id)

    def jobs(self, *states: JobState) -> list[Job]:
        query = f"SELECT {_COLUMNS} FROM jobs"
        if states:
            query += f" WHERE state IN ({', '.join('?' * len(states))})"
        with self._lock:
            return [_job(r) for r in self._db.execute(query + " ORDER BY id",
                                                      [s.value for s in states])]

    def recover(self) -> list[Job]:
        """Start-up: jobs left "sending" were interrupted. Returns every unfinished job."""
        with self._tx():
            self._db.execute(
                "UPDATE jobs SET state = ?, detail = ?, updated = ? WHERE state = ?",
                (JobState.FAILED.value, INTERRUPTED, time.time(), JobState.SENDING.value),
            )
            cutoff = time.time() - self.keep_failed_s
            self._db.execute("UPDATE jobs SET payload = NULL WHERE state = ? AND updated < ?",
                             (JobState.FAILED.value, cutoff))
        self._forget()
        return self.jobs(JobState.PENDING, JobState.FAILED)


def _job(row: tuple) -> Job:
    return Job(row[0], row[1], row[2], JobState(row[3]), *row[4:])
