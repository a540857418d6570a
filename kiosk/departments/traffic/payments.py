"""The kiosk's own record of fine payments, in SQLite (WAL, synchronous), so that a
restart in the middle of a payment neither loses nor repeats it.

The order of writes is the guarantee: the idempotency key is stored before the
back end is asked for an order, and the order id before its QR code is shown. On
start-up every payment not finished is settled against the back end (see
``fine_payment.py``). Nothing here identifies the citizen or the fine:
a random key, a random order id, an amount and a state.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.sqlite_store import SqliteStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS payments (
    key        TEXT PRIMARY KEY,      -- the idempotency key sent with the order request
    order_id   TEXT,                  -- NULL until the back end has answered
    amount_fen INTEGER NOT NULL,
    state      TEXT NOT NULL,
    created    REAL NOT NULL,
    updated    REAL NOT NULL
);
"""
# requested: key stored, no answer yet · pending: order known, QR may be on screen ·
# paid: paid, receipt not printed yet · receipt: receipt fetched for the printer ·
# reported: paid while nobody was there (journaled; the receipt prints from the list) ·
# cancelled, expired · abandoned: the back end never made an order for the key ·
# failed: the back end refused the order · resumed: paid under another key (a later session).
UNFINISHED = ("requested", "pending", "paid")


@dataclass(frozen=True)
class StoredPayment:
    key: str
    order_id: str | None
    amount_fen: int
    state: str


class PaymentStore(SqliteStore):
    """Thread-safe: the UI thread reads, the worker writes."""

    schema = SCHEMA

    def request(self, key: str, amount_fen: int) -> None:
        """Before the order request leaves the kiosk. A key seen before is kept as is."""
        now = self._clock()
        self._run("INSERT OR IGNORE INTO payments VALUES (?, NULL, ?, 'requested', ?, ?)",
                  (key, amount_fen, now, now))

    def ordered(self, key: str, order_id: str, state: str = "pending") -> None:
        """The back end's order for ``key``: stored before its QR code is shown."""
        self._run("UPDATE payments SET order_id = ?, state = ?, updated = ? WHERE key = ?",
                  (order_id, state, self._clock(), key))

    def settle(self, key: str, state: str) -> None:
        self._run("UPDATE payments SET state = ?, updated = ? WHERE key = ?",
                  (state, self._clock(), key))

    def get(self, key: str) -> StoredPayment | None:
        row = self._run("SELECT key, order_id, amount_fen, state FROM payments WHERE key = ?",
                        (key,)).fetchone()
        return StoredPayment(*row) if row else None

    def settled_elsewhere(self, order_id: str, key: str) -> bool:
        """True if another record of the same order (the citizen resumed it in a later
        session, under another key) has already seen it paid."""
        row = self._run(
            "SELECT 1 FROM payments WHERE order_id = ? AND key != ?"
            " AND state IN ('paid', 'receipt', 'reported')", (order_id, key),
        ).fetchone()
        return row is not None

    def unfinished(self) -> list[StoredPayment]:
        marks = ", ".join("?" * len(UNFINISHED))
        rows = self._run(
            f"SELECT key, order_id, amount_fen, state FROM payments WHERE state IN ({marks})"
            " ORDER BY created", UNFINISHED,
        ).fetchall()
        return [StoredPayment(*r) for r in rows]
