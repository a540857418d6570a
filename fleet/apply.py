"""Applies MQTT messages to the console's store, in batches (one transaction each).

Each message is checked first (fleet/validate.py) and its site is the provisioned
one (fleet/registry.py): what breaks the contract is quarantined, never stored, and
never costs another message its place. A batch the store still refuses (a limit
the checks missed) is split until the one message it refuses is alone.

Order-independent on purpose: with several console processes sharing one stream
(MQTT 5 shared subscriptions) a terminal's messages may be stored by different
processes in any order. So births are ordered by their timestamp, deaths count
only for the session (bdseq) of the current birth, health by its timestamp, and
outbox messages (events, statistics, results) are stored once per (terminal,
stream, seq). Everything frequent is written set-wise (executemany, multi-row
INSERT ... RETURNING): ingest keeps up with the broker, not with the disk's latency.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from common import contract as c
from fleet.models import Alarm, Command, Quarantined, Screenshot, Terminal
from fleet.registry import Registry
from fleet.validate import Invalid, Message, check

log = logging.getLogger(__name__)
CHUNK = 500  # rows per multi-row INSERT (bound parameters stay well under the limits)

# The two hot statements go to the driver as they are (executemany of plain tuples):
# SQLAlchemy's per-row parameter handling cost more than SQLite's work.
HEALTH_SQL = ("UPDATE terminals SET light={p}, oos={p}, paper={p}, version={p}, health={p}, "
              "health_ts={p}, last_seen={p}, updated={p} WHERE id={p} AND health_ts <= {p}")
TXN_SQL = ("INSERT INTO txns (terminal, site, day, ts, service, outcome, duration_s, rating, "
           "printed, kind) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})")
QUARANTINE_KEEP = 4096  # bytes of a quarantined payload kept for staff to look at
QUARANTINE_MAX = 10_000  # rows kept; the counter goes on counting


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


def _clean(text: str, n: int) -> str:
    """Text for a column: no NUL (PostgreSQL holds none), no lone surrogate, capped."""
    return text.encode("utf-8", "replace").decode().replace("\x00", "\\0")[:n]


def _claimed_terminal(topic: str) -> str:
    parts = topic.split("/")
    return parts[3] if len(parts) > 3 else ""


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
    """Stores batches of checked messages. A batch the store refuses is split until the
    message it refuses is alone; that one is quarantined, every other one stored."""

    def __init__(self, engine: Engine, registry: Registry | None = None):
        self.engine = engine
        self.registry = registry  # None: a terminal's site is the first one it reported
        self.counts: Counter[str] = Counter()  # what this process stored, by kind (committed)
        self._sites: dict[str, str] = {}  # terminal → its site, as committed to the table
        self._since_trim = 0

    def apply(self, batch: list[tuple[str, bytes]]) -> int:
        """Check and store (topic, payload) pairs; returns how many were stored (the
        rest are quarantined). Raises only when the database itself is unreachable."""
        good: list[Message] = []
        bad: list[tuple[str, bytes, str]] = []
        handled = 0
        for topic, payload in batch:
            try:
                msg = check(topic, payload)
            except Invalid as exc:
                bad.append((topic, payload, str(exc)))
                continue
            if msg is None:  # the console's own command, read back from the tree
                handled += 1
            else:
                good.append(msg)
        return handled + self._store_split(good, bad)

    def _store_split(self, msgs: list[Message], bad: list[tuple[str, bytes, str]]) -> int:
        try:
            return self._commit(msgs, bad)
        except OperationalError:  # the database is away or locked: the caller retries
            raise
        except Exception as exc:  # one of these messages: find it, keep the others
            if not msgs:
                raise
            if len(msgs) == 1:
                m = msgs[0]
                reason = f"the store refused it: {type(exc).__name__}: {exc}"
                return self._store_split([], [*bad, (m.topic, m.raw, reason)])
            mid = len(msgs) // 2
            return self._store_split(msgs[:mid], bad) + self._store_split(msgs[mid:], [])

    def _commit(self, msgs: list[Message], bad: list[tuple[str, bytes, str]]) -> int:
        """One transaction; counters and caches change only once it is committed."""
        counts: Counter[str] = Counter()
        bad = list(bad)
        now = time.time()
        with self.engine.begin() as conn:
            sites = self._resolve_sites(conn, msgs)
            kept: list[Message] = []
            for m in msgs:
                site = sites.get(m.terminal)
                if site is None:
                    bad.append((m.topic, m.raw, "terminal not provisioned"))
                elif site != m.site:
                    bad.append((m.topic, m.raw, f"site {m.site!r} is not the terminal's "
                                                f"provisioned site {site!r}"))
                else:
                    kept.append(m)
            used = {m.terminal: sites[m.terminal] for m in kept}
            self._ensure_terminals(conn, used, now)
            self._store(conn, kept, used, counts, now)
            if bad:
                self._quarantine(conn, bad, now)
                counts["quarantined"] += len(bad)
        self.counts.update(counts)
        self._sites.update(used)
        for topic, _payload, reason in bad:
            log.warning("quarantined a message on %s: %s", topic[:200], reason[:300])
        return len(kept)

    def _resolve_sites(self, conn: Connection, msgs: list[Message]) -> dict[str, str | None]:
        """The site each terminal belongs to: the registry's (provisioned), or without a
        registry the one already stored for it, else the first this batch names."""
        claimed: dict[str, str] = {}
        for m in msgs:
            claimed.setdefault(m.terminal, m.site)
        if self.registry is not None:
            self.registry.refresh()
            return {t: self.registry.site(t) for t in claimed}
        unknown = [t for t in claimed if t not in self._sites]
        stored: dict[str, str] = {}
        for i in range(0, len(unknown), CHUNK):
            part = unknown[i:i + CHUNK]
            stored.update(conn.execute(select(Terminal.id, Terminal.site)
                                       .where(Terminal.id.in_(part))).all())
        return {t: self._sites.get(t) or stored.get(t) or site for t, site in claimed.items()}

    def _ensure_terminals(self, conn: Connection, sites: dict[str, str], now: float) -> None:
        ids = [t for t in sites if self._sites.get(t) != sites[t]]
        have: dict[str, str] = {}
        for i in range(0, len(ids), CHUNK):
            part = ids[i:i + CHUNK]
            have.update(conn.execute(select(Terminal.id, Terminal.site)
                                     .where(Terminal.id.in_(part))).all())
        new = [{"id": t, "site": sites[t], "updated": now} for t in ids if t not in have]
        for i in range(0, len(new), CHUNK):
            _insert_ignore(conn, Terminal, new[i:i + CHUNK])
        for t in ids:  # re-provisioned at another site: the registry is right
            if t in have and have[t] != sites[t]:
                conn.execute(update(Terminal).where(Terminal.id == t)
                             .values(site=sites[t], updated=now))

    def _quarantine(self, conn: Connection, bad: list[tuple[str, bytes, str]],
                    now: float) -> None:
        rows = [{"terminal": _clean(_claimed_terminal(topic), 64), "topic": _clean(topic, 200),
                 "reason": _clean(reason, 300), "size": len(payload),
                 "payload": bytes(payload[:QUARANTINE_KEEP]), "received_at": now}
                for topic, payload, reason in bad]
        conn.execute(insert(Quarantined), rows)
        self._since_trim += len(rows)
        if self._since_trim >= 500:  # a terminal sending garbage cannot fill the disk
            self._since_trim = 0
            top = conn.execute(select(func.max(Quarantined.id))).scalar() or 0
            conn.execute(delete(Quarantined).where(Quarantined.id <= top - QUARANTINE_MAX))

    def _store(self, conn: Connection, msgs: list[Message], sites: dict[str, str],
               counts: Counter[str], now: float) -> None:
        latest: dict[str, Any] = {}  # health: only the newest per terminal matters
        outbox: dict[tuple[str, str, int], tuple[str, str, Any]] = {}
        for m in msgs:
            tid, leaf, body = m.terminal, m.leaf, m.body
            if leaf == c.HEALTH:  # one publisher's order is kept: the last is the newest
                counts["health"] += 1
                latest[tid] = body
            elif leaf == c.STATE:
                counts["state"] += 1
                self._state(conn, tid, body, now)
            elif leaf == c.SCREENSHOT:
                counts["screenshot"] += 1
                conn.execute(Screenshot.__table__.delete().where(Screenshot.terminal == tid))
                conn.execute(insert(Screenshot).values(terminal=tid, ts=now, png=body))
                conn.execute(update(Terminal).where(Terminal.id == tid).values(updated=now))
            else:
                outbox[(tid, body.stream, body.seq)] = (sites[tid], leaf, body)
        self._outbox(conn, outbox, counts, now)
        rows = [(b.light, b.oos, b.paper, b.version, b.model_dump_json(exclude_unset=True),
                 b.ts, now, now, tid, b.ts) for tid, b in latest.items()]
        if rows:
            conn.exec_driver_sql(_sql(conn, HEALTH_SQL), rows)

    def _outbox(self, conn: Connection, outbox: dict, counts: Counter[str], now: float) -> None:
        keys = list(outbox)
        fresh: set[tuple] = set()
        for i in range(0, len(keys), CHUNK):
            fresh |= _received(conn, keys[i:i + CHUNK])
        counts["duplicate"] += len(outbox) - len(fresh)
        txns, events = [], []
        seen: dict[str, bool] = {}  # terminal → does the board show a change?
        for key in sorted(fresh, key=lambda k: (k[0], k[2])):
            site, leaf, body = outbox[key]
            tid = key[0]
            counts[leaf] += 1
            seen[tid] = seen.get(tid, False) or leaf != c.TXN
            if leaf == c.TXN:
                ts = body.ts or now
                txns.append((tid, site, time.strftime("%Y-%m-%d", time.localtime(ts)), ts,
                             body.service, body.outcome, body.duration_s, body.rating,
                             body.printed, body.kind or "session"))
            elif leaf == c.EVENT:
                events.append((site, tid, key[2], body))
            else:
                # Only the command sent to this terminal, and only its first answer: a
                # replay's "refused" never overwrites what the original did.
                conn.execute(update(Command).where(and_(
                    Command.id == body.id, Command.terminal == tid,
                    Command.answered_at.is_(None))).values(
                    result=body.result, detail=body.detail, answered_at=now))
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
            key = (tid, body.alarm)
            ts = body.ts or now
            current = active.get(key)
            if body.on:
                values = {"severity": body.severity, "detail": body.detail,
                          "detail_zh": body.detail_zh,  # v1.1, optional
                          "action": body.action}
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

    def _state(self, conn: Connection, tid: str, body: Any, now: float) -> None:
        bdseq = body.bdseq
        if body.state == "online":
            conn.execute(
                update(Terminal)
                .where(and_(Terminal.id == tid, Terminal.birth_ts <= body.ts))
                .values(online=True, bdseq=bdseq, birth_ts=body.ts, version=body.version,
                        hb=body.hb, state_reason="", last_seen=now, updated=now))
        else:  # a death counts only for the session it was registered with
            conn.execute(
                update(Terminal).where(and_(Terminal.id == tid, Terminal.bdseq == bdseq))
                .values(online=False, state_reason=body.reason, updated=now))
