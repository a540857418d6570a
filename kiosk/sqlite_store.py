"""What the kiosk's own SQLite records share: WAL, a commit that is on the disk when it
returns (a power cut loses nothing acknowledged), and one lock so any thread may use it.

The journal, the fine payments and the loss reports each subclass it with their schema.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path


class SqliteStore:
    schema = ""  # CREATE TABLE IF NOT EXISTS ...: a subclass's tables

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")  # committed means on the disk
        self._db.executescript(self.schema)

    def _run(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, args)

    def close(self) -> None:
        with self._lock:
            self._db.close()
