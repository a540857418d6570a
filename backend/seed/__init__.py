"""Department seed data beyond the persons and insurances of ``backend/db.py``.

Each module has a ``SCHEMA`` and a ``seed(conn)`` that inserts only what is absent,
so reopening a store never duplicates rows nor undoes what the back end changed.
"""

from __future__ import annotations

import sqlite3

from backend.seed import cases, housing, medical, queue, social, sscards, traffic

MODULES = (social, sscards, housing, traffic, cases, queue, medical)
SCHEMA = "".join(m.SCHEMA for m in MODULES)


def seed(conn: sqlite3.Connection) -> None:
    for module in MODULES:
        module.seed(conn)
