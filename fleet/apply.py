"""Applies MQTT messages to the console's store, in batches (one transaction each).

Order-independent on purpose: with several console processes sharing one stream
(MQTT 5 shared subscriptions) a terminal's messages may be stored by different
processes in any order. So births are ordered by their timestamp, deaths count
only for the session (bdseq) of the current birth, health by its timestamp, and
outbox messages (events, statistics, results) are stored once per (terminal,
stream, seq). Everything frequent is written set-wise (executemany, multi-row
INSERT ... RETURNING): ingest keeps up with the broker, not with the disk's latency.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from typing import Any

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.engine import Connection, Engine

from common import contract as c
from fleet.models import Alarm, Command, Screenshot, Terminal

log = logging.getLogger(__name__)
CHUNK = 500  # rows per multi-row INSERT (bound parameters stay well under the limits)

# The two hot statements go to the driver as they are (executemany of plain tuples):
# SQLAlchemy's per-row parameter handling cost more than SQLite's work.
HEALTH_SQL = ("UPDATE terminals SET light={p}, oos={p}, paper={p}, version={p}, health={p}, "
              "health_ts={p}, last_seen={p}, updated={p} WHERE id={p} AND health_ts <= {p}")
TXN_SQL = ("INSERT INTO txns (terminal, site, day, ts, service, outcome, duration_s, rating, "
           "printed, kind) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})")
TXN_KINDS = ("use", "rating", "visit")  # journal rows; without "kind": a session (v1.0)


def _sql(conn: Connection, template: str) -> str:
    return template.format(p="%s" if conn.dialect.name == "postgresql" else "?")


SEEN_UPDATE = update(Terminal).where(Terminal.id == bindparam("b_id")).values(
    last_seen=bindparam("b_now"))
SHOWN_UPDATE = update(Terminal).where(Terminal.id == bindparam("b_id")).values(
    last_seen=bindparam("b_now"), updated=bindparam("b_now"))

ALARM_DETAIL = update(Alarm).where(Alarm.id == bindparam("b_id")).values(
    severity=bindparam("b_sev"), detail=bindparam("b_detail"),
    detail_zh=bindparam("b_detail_zh"), action=bindparam("b_action"), updated=bindparam("b_now"))
ALARM_CLEAR = update(Alarm).where(Alarm.id == bindparam("b_id")).values(
    cleared_at=bindparam("b_cleared"), updated=bindparam("b_now"))


def _insert_ignore(conn: Connection, table: Any, rows: list[dict[str, Any]],
                   returning: tuple = ()) -> list[tuple]:
    """Multi-row INSERT skipping existing keys; returns ``returning`` of inserted rows."""
    if not rows:
        return []
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(table).values(rows).on_conflict_do_nothing()
    else:
        stmt = insert(table).values(rows).prefix_with("OR IGNORE")
    if returning:
        return list(conn.execute(stmt.returning(*returning)).all())
    conn.execute(stmt)
    return []


def _received(conn: Connection, keys: list[tuple[str, str, int]]) -> set[tuple]:
    """Record outbox keys; returns those not seen before (one statement, either database)."""
    pg = conn.dialect.name == "postgresql"
    mark = "%s" if pg else "?"
    values = ",".join([f"({mark},{mark},{mark})"] * len(keys))
    sql = (f"INSERT {'' if pg else 'OR IGNORE '}INTO received (terminal, stream, seq) "
           f"VALUES {values} {'ON CONFLICT DO NOTHING ' if pg else ''}"
           "RETURNING terminal, stream, seq")
    params = tuple(v for key in keys for v in key)
    return {tuple(r) for r in conn.exec_driver_sql(sql, params).all()}


class Applier:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.counts: Counter[str] = Counter()  # what this process stored, by kind
        self._known: set[str] = set()  # terminals already in the table (never deleted)

    def apply(self, batch: list[tuple[str, bytes]]) -> None:
        latest: dict[str, bytes] = {}  # health: only the newest per terminal matters
        sites: dict[str, str] = {}
        others: list[tuple[str, str, Any]] = []  # state, screenshot: rare, in order
        outbox: dict[tuple[str, str, int], tuple[str, str, dict]] = {}
        for topic, payload in batch:
            parsed = c.parse_topic(topic)
            if parsed is None:
                continue
            site, tid, leaf = parsed
            sites.setdefault(tid, site)
            try:
                if leaf == c.SCREENSHOT:
                    others.append((tid, leaf, payload))
                    continue
                if leaf == c.HEALTH:  # one publisher's order is kept: the last is the newest
                    self.counts["health"] += 1
                    latest[tid] = payload
                    continue
                body = json.loads(payload)
                if leaf == c.STATE:
                    others.append((tid, leaf, body))
                elif leaf in (c.EVENT, c.TXN, c.RESULT):
                    outbox[(tid, str(body["stream"]), int(body["seq"]))] = (site, leaf, body)
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("dropped a malformed %s message from %s: %s", leaf, tid, exc)
        now = time.time()
        with self.engine.begin() as conn:
            self._ensure_terminals(conn, sites, now)
            for tid, leaf, body in others:
                if leaf == c.STATE:
                    self.counts["state"] += 1
                    self._state(conn, tid, body, now)
                else:
                    self.counts["screenshot"] += 1
                    conn.execute(Screenshot.__table__.delete().where(Screenshot.terminal == tid))
                    conn.execute(insert(Screenshot).values(terminal=tid, ts=now, png=body))
                    conn.execute(update(Terminal).where(Terminal.id == tid).values(updated=now))
            self._outbox(conn, outbox, now)
            rows = []
            for tid, raw in latest.items():
                try:
                    b = json.loads(raw)
                    ts = float(b.get("ts", 0))
                    rows.append((str(b.get("light", "green")), bool(b.get("oos")),
                                 str(b.get("paper", "unknown")), str(b.get("version", "")),
                                 raw.decode("utf-8", "replace"),  # stored as it came
                                 ts, now, now, tid, ts))
                except (ValueError, AttributeError) as exc:
                    log.warning("dropped a malformed health message from %s: %s", tid, exc)
            if rows:
                conn.exec_driver_sql(_sql(conn, HEALTH_SQL), rows)

    def _ensure_terminals(self, conn: Connection, sites: dict[str, str], now: float) -> None:
        ids = [t for t in sites if t not in self._known]
        known: set[str] = set()
        for i in range(0, len(ids), CHUNK):
            part = ids[i:i + CHUNK]
            known |= {r[0] for r in conn.execute(select(Terminal.id).where(Terminal.id.in_(part)))}
        new = [{"id": t, "site": sites[t], "updated": now} for t in ids if t not in known]
        for i in range(0, len(new), CHUNK):
            _insert_ignore(conn, Terminal, new[i:i + CHUNK])
        self._known.update(ids)  # (a rolled-back batch only costs a redundant INSERT later)

    def _outbox(self, conn: Connection, outbox: dict, now: float) -> None:
        keys = list(outbox)
        fresh: set[tuple] = set()
        for i in range(0, len(keys), CHUNK):
            fresh |= _received(conn, keys[i:i + CHUNK])
        self.counts["duplicate"] += len(outbox) - len(fresh)
        txns, events = [], []
        seen: dict[str, bool] = {}  # terminal → does the board show a change?
        for key in sorted(fresh, key=lambda k: (k[0], k[2])):
            site, leaf, body = outbox[key]
            tid = key[0]
            self.counts[leaf] += 1
            seen[tid] = seen.get(tid, False) or leaf != c.TXN
            if leaf == c.TXN:
                ts = float(body.get("ts") or now)
                rating = body.get("rating")
                kind = body.get("kind") if body.get("kind") in TXN_KINDS else "session"
                txns.append((tid, site, time.strftime("%Y-%m-%d", time.localtime(ts)), ts,
                             str(body.get("service", "none"))[:32],
                             str(body.get("outcome", ""))[:16],
                             float(body.get("duration_s") or 0),
                             int(rating) if isinstance(rating, int | float) else None,
                             bool(body.get("printed")), kind))
            elif leaf == c.EVENT:
                events.append((site, tid, key[2], body))
            else:
                conn.execute(update(Command).where(Command.id == str(body.get("id"))).values(
                    result=str(body.get("result", ""))[:16],
                    detail=str(body.get("detail", ""))[:300], answered_at=now))
        if txns:
            conn.exec_driver_sql(_sql(conn, TXN_SQL), txns)
        if events:
            self._alarms(conn, events, now)
        quiet = [{"b_id": t, "b_now": now} for t, shown in seen.items() if not shown]
        shown = [{"b_id": t, "b_now": now} for t, shown in seen.items() if shown]
        if quiet:
            conn.execute(SEEN_UPDATE, quiet)
        if shown:
            conn.execute(SHOWN_UPDATE, shown)

    def _alarms(self, conn: Connection, events: list, now: float) -> None:
        tids = sorted({tid for _s, tid, _q, _b in events})
        active: dict[tuple[str, str], list] = {}  # (tid, key) → [id or None, raised_seq, row]
        for i in range(0, len(tids), CHUNK):
            rows = conn.execute(select(Alarm.id, Alarm.terminal, Alarm.key, Alarm.raised_seq)
                                .where(and_(Alarm.terminal.in_(tids[i:i + CHUNK]),
                                            Alarm.cleared_at.is_(None))))
            for r in rows:
                active[(r.terminal, r.key)] = [r.id, r.raised_seq, None]
        inserts: list[dict] = []
        changes: list[dict] = []
        for site, tid, seq, body in events:
            key = (tid, str(body["alarm"])[:64])
            ts = float(body.get("ts") or now)
            current = active.get(key)
            if body.get("on"):
                values = {"severity": str(body.get("severity", "yellow"))[:8],
                          "detail": str(body.get("detail", ""))[:200],
                          "detail_zh": str(body.get("detail_zh", ""))[:200],  # v1.1, optional
                          "action": str(body.get("action", ""))[:16]}
                if current and current[0] is None:
                    current[2].update(values)
                elif current:
                    changes.append({"b_id": current[0], "b_cleared": None, **values})
                else:
                    row = {"terminal": tid, "site": site, "key": key[1], "raised_at": ts,
                           "raised_seq": seq, "cleared_at": None, "updated": now, **values}
                    inserts.append(row)
                    active[key] = [None, seq, row]
            elif current and current[1] < seq:
                if current[0] is None:
                    current[2]["cleared_at"] = ts
                else:
                    changes.append({"b_id": current[0], "b_cleared": ts})
                del active[key]
        if inserts:
            conn.execute(insert(Alarm), inserts)
        details = [ch for ch in changes if ch["b_cleared"] is None]
        clears = [{"b_id": ch["b_id"], "b_cleared": ch["b_cleared"], "b_now": now}
                  for ch in changes if ch["b_cleared"] is not None]
        if details:
            conn.execute(ALARM_DETAIL, [{"b_id": ch["b_id"], "b_sev": ch["severity"],
                                         "b_detail": ch["detail"],
                                         "b_detail_zh": ch["detail_zh"], "b_action": ch["action"],
                                         "b_now": now} for ch in details])
        if clears:
            conn.execute(ALARM_CLEAR, clears)

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
