"""Applies MQTT messages to the console's store, in batches (one transaction each).

Order-independent on purpose: with several console processes sharing one stream
(MQTT 5 shared subscriptions) a terminal's messages may be stored by different
processes in any order. So births are ordered by their timestamp, deaths count
only for the session (bdseq) of the current birth, health by its timestamp, and
outbox messages (events, statistics, results) are stored once per (terminal,
stream, seq).
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy import literal as sa_literal
from sqlalchemy.engine import Connection, Engine

from fleet.models import Alarm, Command, Received, Screenshot, Terminal, Txn
from kiosk.fleet import contract as c

log = logging.getLogger(__name__)


def _insert_ignore(conn: Connection, table: Any, values: dict[str, Any]) -> bool:
    """INSERT unless the key exists; True if this call inserted it."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(table).values(**values).on_conflict_do_nothing()
        # psycopg reports rowcount -1 here: a returned row says it was inserted.
        return conn.execute(stmt.returning(sa_literal(1))).first() is not None
    else:
        stmt = insert(table).values(**values).prefix_with("OR IGNORE")
    return conn.execute(stmt).rowcount == 1


class Applier:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.counts: Counter[str] = Counter()  # what this process stored, by kind

    def apply(self, batch: list[tuple[str, bytes]]) -> None:
        # Health is the bulk and only the newest per terminal matters: collapse first.
        latest: dict[str, tuple[str, str, dict]] = {}
        rest: list[tuple[str, str, str, bytes]] = []
        for topic, payload in batch:
            parsed = c.parse_topic(topic)
            if parsed is None:
                continue
            site, tid, leaf = parsed
            if leaf == c.HEALTH:
                try:
                    body = json.loads(payload)
                except ValueError:
                    continue
                self.counts["health"] += 1
                old = latest.get(tid)
                if old is None or body.get("ts", 0) >= old[2].get("ts", 0):
                    latest[tid] = (site, tid, body)
            else:
                rest.append((site, tid, leaf, payload))
        now = time.time()
        with self.engine.begin() as conn:
            known = self._known(conn, {tid for _s, tid, _l, _p in rest} | set(latest))
            for site, tid, leaf, payload in rest:
                if tid not in known:
                    self._new_terminal(conn, site, tid, now)
                    known.add(tid)
                try:
                    self._one(conn, site, tid, leaf, payload, now)
                except (ValueError, KeyError, TypeError) as exc:
                    log.warning("dropped a malformed %s message from %s: %s", leaf, tid, exc)
            for site, tid, body in latest.values():
                if tid not in known:
                    self._new_terminal(conn, site, tid, now)
                self._health(conn, tid, body, now)

    @staticmethod
    def _known(conn: Connection, ids: set[str]) -> set[str]:
        if not ids:
            return set()
        rows = conn.execute(select(Terminal.id).where(Terminal.id.in_(ids)))
        return {r[0] for r in rows}

    @staticmethod
    def _new_terminal(conn: Connection, site: str, tid: str, now: float) -> None:
        _insert_ignore(conn, Terminal, {"id": tid, "site": site, "updated": now})

    def _health(self, conn: Connection, tid: str, body: dict, now: float) -> None:
        conn.execute(
            update(Terminal)
            .where(and_(Terminal.id == tid, Terminal.health_ts <= body.get("ts", 0)))
            .values(light=str(body.get("light", "green")), oos=bool(body.get("oos")),
                    paper=str(body.get("paper", "unknown")),
                    version=str(body.get("version", "")),
                    health=json.dumps(body), health_ts=float(body.get("ts", 0)),
                    last_seen=now, updated=now)
        )

    def _one(self, conn: Connection, site: str, tid: str, leaf: str, payload: bytes,
             now: float) -> None:
        if leaf == c.SCREENSHOT:
            self.counts["screenshot"] += 1
            conn.execute(Screenshot.__table__.delete().where(Screenshot.terminal == tid))
            conn.execute(insert(Screenshot).values(terminal=tid, ts=now, png=payload))
            conn.execute(update(Terminal).where(Terminal.id == tid).values(updated=now))
            return
        body = json.loads(payload)
        if leaf == c.STATE:
            self.counts["state"] += 1
            self._state(conn, tid, body, now)
            return
        if leaf not in (c.EVENT, c.TXN, c.RESULT):
            return
        fresh = _insert_ignore(conn, Received, {"terminal": tid, "stream": str(body["stream"]),
                                                "seq": int(body["seq"])})
        if not fresh:
            self.counts["duplicate"] += 1
            return
        self.counts[leaf] += 1
        conn.execute(update(Terminal).where(Terminal.id == tid).values(last_seen=now))
        if leaf == c.EVENT:
            self._alarm(conn, site, tid, body, now)
        elif leaf == c.TXN:
            ts = float(body.get("ts") or now)
            conn.execute(insert(Txn).values(
                terminal=tid, site=site, day=time.strftime("%Y-%m-%d", time.localtime(ts)),
                ts=ts, service=str(body["service"])[:32], outcome=str(body["outcome"])[:16],
                duration_s=float(body.get("duration_s") or 0),
                rating=body.get("rating"), printed=bool(body.get("printed"))))
        else:
            conn.execute(update(Command).where(Command.id == str(body["id"])).values(
                result=str(body.get("result", ""))[:16], detail=str(body.get("detail", ""))[:300],
                answered_at=now))
            conn.execute(update(Terminal).where(Terminal.id == tid).values(updated=now))

    def _state(self, conn: Connection, tid: str, body: dict, now: float) -> None:
        bdseq = int(body.get("bdseq", -1))
        if body.get("state") == "online":
            conn.execute(
                update(Terminal)
                .where(and_(Terminal.id == tid, Terminal.birth_ts <= float(body.get("ts", 0))))
                .values(online=True, bdseq=bdseq, birth_ts=float(body.get("ts", 0)),
                        version=str(body.get("version", "")), hb=float(body.get("hb", 300)),
                        state_reason="", last_seen=now, updated=now))
        else:  # a death counts only for the session it was registered with
            conn.execute(
                update(Terminal).where(and_(Terminal.id == tid, Terminal.bdseq == bdseq))
                .values(online=False, state_reason=str(body.get("reason", "lost"))[:16],
                        updated=now))

    def _alarm(self, conn: Connection, site: str, tid: str, body: dict, now: float) -> None:
        key, seq = str(body["alarm"])[:64], int(body["seq"])
        active = conn.execute(select(Alarm.id, Alarm.raised_seq).where(and_(
            Alarm.terminal == tid, Alarm.key == key, Alarm.cleared_at.is_(None)))).first()
        if body.get("on"):
            values = {"severity": str(body.get("severity", "yellow"))[:8],
                      "detail": str(body.get("detail", ""))[:200],
                      "action": str(body.get("action", ""))[:16], "updated": now}
            if active:
                conn.execute(update(Alarm).where(Alarm.id == active.id).values(**values))
            else:
                conn.execute(insert(Alarm).values(
                    terminal=tid, site=site, key=key, raised_at=float(body.get("ts") or now),
                    raised_seq=seq, **values))
        elif active and active.raised_seq < seq:
            conn.execute(update(Alarm).where(Alarm.id == active.id).values(
                cleared_at=float(body.get("ts") or now), updated=now))
