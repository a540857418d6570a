"""The demo back end's SQLite store: schema, seeding, and one connection per request.

SQLite connections are cheap, so every request opens its own (``connect``) instead of sharing
one behind a lock; WAL lets readers run while a writer commits, and ``busy_timeout`` makes
concurrent writers wait rather than fail.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from backend import seed
from backend.citizens import DEMO_CITIZENS

SCHEMA = """
CREATE TABLE IF NOT EXISTS persons (
    id_number   TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    sex         TEXT NOT NULL,
    nation      TEXT NOT NULL,
    birth       TEXT NOT NULL,
    address     TEXT NOT NULL,
    authority   TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_to    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS insurances (
    id_number    TEXT NOT NULL REFERENCES persons(id_number),
    type         TEXT NOT NULL,
    status       TEXT NOT NULL,
    since        TEXT NOT NULL,
    months       INTEGER NOT NULL CHECK (months >= 0),
    unit         TEXT NOT NULL,
    monthly_base INTEGER NOT NULL,
    PRIMARY KEY (id_number, type)
);
CREATE TABLE IF NOT EXISTS certificates (
    verification_code TEXT PRIMARY KEY,
    kind              TEXT NOT NULL,
    issued_at         TEXT NOT NULL,
    holder_masked     TEXT NOT NULL,
    body              TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS nonces (
    app_key TEXT NOT NULL,
    nonce   TEXT NOT NULL,
    ts      INTEGER NOT NULL,
    PRIMARY KEY (app_key, nonce)
);
CREATE TABLE IF NOT EXISTS ratings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    rating_ref  TEXT UNIQUE,               -- the kiosk's id: a resent rating is stored once
    terminal_id TEXT NOT NULL,
    service     TEXT NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    reasons     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
"""


def connect(path: Path) -> sqlite3.Connection:
    """A fresh connection for one request (rows readable by column name)."""
    conn = sqlite3.connect(path, timeout=5.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


@contextmanager
def connection(path: Path) -> Iterator[sqlite3.Connection]:
    """``connect`` as a context manager: commit on success, roll back on error, always close."""
    conn = connect(path)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def open_db(path: Path) -> sqlite3.Connection:
    """Open the store, creating the schema and seeding the demo citizens if missing.

    Idempotent: seeding inserts only what is absent, so reopening never duplicates rows and
    never overwrites what the back end has changed since.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    conn.execute("PRAGMA journal_mode = WAL")  # persistent: stored in the file
    conn.executescript(SCHEMA + seed.SCHEMA)
    with conn:
        _seed(conn)
        seed.seed(conn)  # the departments' histories
    return conn


def _seed(conn: sqlite3.Connection) -> None:
    for c in DEMO_CITIZENS:
        conn.execute(
            "INSERT OR IGNORE INTO persons VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (c.id_number, c.name, c.sex, c.nation, c.birth, c.address, c.authority,
             c.valid_from, c.valid_to),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO insurances VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(c.id_number, i.type, i.status, i.since, i.months, i.unit, i.monthly_base)
             for i in c.insurances],
        )


def use_nonce(path: Path, app_key: str, nonce: str, ts: int, window_s: int) -> bool:
    """Record a request's nonce; False if it was seen before (a replay).

    Nonces older than the timestamp window are forgotten: a request that old is
    refused for its timestamp anyway.
    """
    with connection(path) as conn:
        conn.execute("DELETE FROM nonces WHERE ts < ?", (ts - 2 * window_s,))
        try:
            conn.execute("INSERT INTO nonces VALUES (?, ?, ?)", (app_key, nonce, ts))
        except sqlite3.IntegrityError:
            return False
    return True
