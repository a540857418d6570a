"""Live updates as server-sent events, read from the database.

The database, not this process's MQTT stream, is the source: with several console
processes sharing the stream, each sees only its share of the messages, but all
of them see every row. Each tick sends the terminals changed since the last one
(with a short overlap, because a row written just before a commit may carry an
earlier timestamp) and the alarm and statistics versions.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from fleet import queries
from fleet.models import Txn

TICK_S = 0.5
OVERLAP_S = 2.0


def _tick(engine: Engine, cursor: float, offline_after: float) -> tuple[list, float, int]:
    rows = queries.changed_since(engine, cursor - OVERLAP_S, offline_after)
    with engine.connect() as conn:
        txns = conn.execute(select(func.count(Txn.id))).scalar() or 0
    return rows, queries.alarm_version(engine), txns


async def stream(engine: Engine, offline_after: float,
                 is_disconnected) -> AsyncIterator[str]:
    cursor = time.time()
    sent: dict[str, float] = {}
    last_alarms, last_txns = None, None
    yield f"event: hello\ndata: {json.dumps({'now': time.time()})}\n\n"
    while not await is_disconnected():
        rows, alarms_v, txns = await asyncio.to_thread(_tick, engine, cursor, offline_after)
        fresh = [r for r in rows if sent.get(r["id"]) != r["updated"]]
        for r in fresh:
            sent[r["id"]] = r["updated"]
            cursor = max(cursor, r["updated"])
        if fresh:
            yield f"event: terminals\ndata: {json.dumps(fresh)}\n\n"
        if alarms_v != last_alarms:
            if last_alarms is not None:
                yield f"event: alarms\ndata: {json.dumps(alarms_v)}\n\n"
            last_alarms = alarms_v
        if txns != last_txns:
            if last_txns is not None:
                yield f"event: txns\ndata: {txns}\n\n"
            last_txns = txns
        yield f"event: tick\ndata: {json.dumps({'now': time.time()})}\n\n"
        if len(sent) > 50_000:
            sent.clear()
        await asyncio.sleep(TICK_S)
