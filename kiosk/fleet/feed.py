"""The fleet's service statistics, read from the journal (kiosk/journal.py): one record.

Every journal row (a service used, a rating, a whole visit) becomes one ``txn`` message. Rows move
into the outbox together with the feed's cursor in one transaction of the terminal
store, so a kill -9 leaves both or neither: no row is queued twice, none is skipped.
While the broker is away the rows wait in the journal, not in the bounded outbox, so
statistics are never among what a full outbox drops.

Only what identifies nobody leaves the kiosk: the service, the outcome, the duration,
the score and the time; never the session reference (it links a rating to the back
end's record) nor the rating's reasons.
"""

from __future__ import annotations

from typing import Any

from common import contract as c
from kiosk.fleet.store import TerminalStore
from kiosk.journal import KINDS, Journal, JournalRow

CURSOR = "journal_cursor"  # meta key: the last journal ids queued, per table
BATCH = 200


def txn_body(row: JournalRow) -> dict[str, Any]:
    """The ``txn`` payload of one journal row (contract v1, docs/fleet-contract.md)."""
    body: dict[str, Any] = {"ts": round(row.at, 3), "kind": row.kind, "service": row.service}
    if row.kind == "use":
        body.update(outcome=row.outcome, duration_s=round(row.duration_ms / 1000, 1))
    elif row.kind == "visit":
        body.update(outcome=row.outcome, duration_s=round(row.duration_ms / 1000, 1),
                    printed=row.printed)
    else:
        body.update(outcome="rated", rating=row.score)
    return body


class JournalFeed:
    def __init__(self, journal: Journal, store: TerminalStore, batch: int = BATCH):
        self._journal = journal
        self._store = store
        self._batch = batch

    def forward(self) -> int:
        """Queue the next journal rows for the console; returns how many (0: caught up,
        or the outbox holds enough for now)."""
        room = min(self._batch, self._store.max_rows // 2 - self._store.backlog())
        if room <= 0:
            return 0  # the broker is away: the rows wait in the journal
        # A cursor saved before a kind existed starts that kind from its first row.
        cursor = {kind: 0 for kind in KINDS} | self._store.get(CURSOR, {})
        rows = self._journal.rows_after(cursor, room)
        if not rows:
            return 0
        for row in rows:
            cursor[row.kind] = max(cursor[row.kind], row.id)
        bodies = [{**txn_body(row), "stream": self._store.stream} for row in rows]
        self._store.enqueue_many(c.TXN, bodies, meta={CURSOR: cursor})
        return len(rows)
