"""What the console's pages read. Plain dicts out, so templates and JSON share them."""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Engine

from fleet.models import Alarm, Command, Quarantined, Screenshot, Terminal, Txn

# A transaction is a service used ("use", from a terminal's journal) or a whole session
# ("session", from a terminal before the journal feed); a "rating" row only rates one,
# and a "visit" row is a whole visit (how it ended, how long the citizen stayed).
IS_RATING = Txn.kind == "rating"
IS_SERVED = Txn.kind.in_(("use", "session"))
IS_VISIT = Txn.kind.in_(("visit", "session"))
SERVED = func.coalesce(func.sum(case((IS_SERVED, 1), else_=0)), 0)
VISITS = func.coalesce(func.sum(case((IS_VISIT, 1), else_=0)), 0)
TIMED_OUT = func.coalesce(func.sum(case((and_(IS_VISIT, Txn.outcome == "timeout"), 1),
                                        else_=0)), 0)
FAILED = func.coalesce(func.sum(case((and_(Txn.kind == "use", Txn.outcome != "ok"), 1),
                                     else_=0)), 0)


def display_light(online: bool, last_seen: float, light: str, offline_after: float,
                  now: float) -> str:
    """Grey when the terminal is gone (its death) or silent longer than the timeout."""
    if not online or now - last_seen > offline_after:
        return "grey"
    return light


def terminal_row(t: Any, offline_after: float, now: float, alarms: int = 0) -> dict[str, Any]:
    return {
        "id": t.id, "site": t.site, "online": t.online, "reported": t.light,
        "light": display_light(t.online, t.last_seen, t.light, offline_after, now),
        "oos": t.oos, "paper": t.paper, "version": t.version, "last_seen": t.last_seen,
        "reason": t.state_reason, "alarms": alarms, "updated": t.updated,
    }


def active_alarm_counts(engine: Engine, ids: list[str] | None = None) -> dict[str, int]:
    q = select(Alarm.terminal, func.count()).where(Alarm.cleared_at.is_(None))
    if ids is not None:
        q = q.where(Alarm.terminal.in_(ids))
    with engine.connect() as conn:
        return dict(conn.execute(q.group_by(Alarm.terminal)).all())


def board(engine: Engine, offline_after: float) -> list[dict[str, Any]]:
    now = time.time()
    counts = active_alarm_counts(engine)
    with engine.connect() as conn:
        rows = conn.execute(select(Terminal).order_by(Terminal.site, Terminal.id)).all()
    return [terminal_row(t, offline_after, now, counts.get(t.id, 0)) for t in rows]


def changed_since(engine: Engine, cursor: float, offline_after: float) -> list[dict[str, Any]]:
    now = time.time()
    with engine.connect() as conn:
        rows = conn.execute(select(Terminal).where(Terminal.updated > cursor)).all()
    counts = active_alarm_counts(engine, [t.id for t in rows]) if rows else {}
    return [terminal_row(t, offline_after, now, counts.get(t.id, 0)) for t in rows]


def alarm_version(engine: Engine) -> float:
    with engine.connect() as conn:
        return conn.execute(select(func.max(Alarm.updated))).scalar() or 0.0


def alarms(engine: Engine, active_only: bool = True, limit: int = 200,
           terminal: str | None = None) -> list[dict[str, Any]]:
    q = select(Alarm)
    if active_only:
        q = q.where(Alarm.cleared_at.is_(None))
    if terminal:
        q = q.where(Alarm.terminal == terminal)
    order = case({"red": 0, "yellow": 1}, value=Alarm.severity, else_=2)
    q = q.order_by(Alarm.cleared_at.is_not(None), order, Alarm.raised_at.desc()).limit(limit)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q).all()]


def command_row(row: dict[str, Any], timeout: float, now: float) -> dict[str, Any]:
    """A command as staff see it: "no_answer" once its deadline passed unanswered; an
    answer after the deadline is still shown (and marked late)."""
    deadline = row["sent_at"] + timeout
    state = row["result"]
    if state == "sent" and now > deadline:
        state = "no_answer"
    late = row["answered_at"] is not None and row["answered_at"] > deadline
    return {**row, "state": state, "deadline": deadline, "late": late}


def terminal_detail(engine: Engine, tid: str, offline_after: float,
                    command_timeout: float = 60) -> dict[str, Any] | None:
    now = time.time()
    with engine.connect() as conn:
        t = conn.execute(select(Terminal).where(Terminal.id == tid)).first()
        if t is None:
            return None
        since = time.strftime("%Y-%m-%d", time.localtime(now - 13 * 86400))
        per_day = conn.execute(
            select(Txn.day, SERVED, func.avg(Txn.rating))
            .where(and_(Txn.terminal == tid, Txn.day >= since)).group_by(Txn.day)).all()
        commands = conn.execute(
            select(Command.id, Command.cmd, Command.by, Command.sent_at, Command.result,
                   Command.detail, Command.answered_at)
            .where(Command.terminal == tid).order_by(Command.sent_at.desc()).limit(10)).all()
        shot = conn.execute(select(Screenshot.ts).where(Screenshot.terminal == tid)).scalar()
    days = [time.strftime("%Y-%m-%d", time.localtime(now - d * 86400)) for d in range(13, -1, -1)]
    counts = {d: (n, avg) for d, n, avg in per_day}
    recent = alarms(engine, active_only=False, limit=20, terminal=tid)
    return {
        **terminal_row(t, offline_after, now, sum(1 for a in recent if not a["cleared_at"])),
        "health": json.loads(t.health or "{}"), "hb": t.hb,
        "alarms_list": recent,
        "chart": [{"day": d, "n": counts.get(d, (0, None))[0],
                   "rating": counts.get(d, (0, None))[1]} for d in days],
        "commands": [command_row(dict(r._mapping), command_timeout, now) for r in commands],
        "screenshot_ts": shot,
    }


def supervision(engine: Engine, days: int = 7) -> dict[str, Any]:
    since = time.strftime("%Y-%m-%d", time.localtime(time.time() - (days - 1) * 86400))
    good = func.sum(case((Txn.rating >= 4, 1), else_=0))
    rated = func.count(Txn.rating)
    bad = func.sum(case((Txn.rating <= 2, 1), else_=0))  # 差评: 1 or 2 of 5
    duration = func.avg(case((IS_SERVED, Txn.duration_s), else_=None))
    stay = func.avg(case((IS_VISIT, Txn.duration_s), else_=None))
    cols = (SERVED, duration, func.avg(Txn.rating), good, rated, bad, FAILED, VISITS, TIMED_OUT,
            stay)

    def grouped(*keys: Any) -> list[dict[str, Any]]:
        with engine.connect() as conn:
            rows = conn.execute(select(*keys, *cols).where(Txn.day >= since)
                                .group_by(*keys).order_by(*keys)).all()
        out = []
        for r in rows:
            *names, n, dur, rating, good_n, rated_n, bad_n, failed_n, visits, timed_out, stay_s = r
            out.append({"key": " / ".join(str(x) for x in names), "n": n,
                        "duration": dur or 0, "rating": rating, "bad": bad_n or 0,
                        "failed": failed_n or 0, "visits": visits, "timed_out": timed_out,
                        "stay": stay_s,
                        "satisfied": (100 * good_n / rated_n) if rated_n else None})
        return out

    return {"since": since, "days": days, "by_service": grouped(Txn.service),
            "by_site": grouped(Txn.site), "by_day": grouped(Txn.day)}


def quarantine_count(engine: Engine) -> int:
    """Messages from terminals that were not stored (fleet/validate.py), still kept."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Quarantined)).scalar() or 0


def quarantined(engine: Engine, limit: int = 100,
                terminal: str | None = None) -> list[dict[str, Any]]:
    """The newest quarantined messages: who (as the topic claims), what, why. The
    payload is bytes from a possibly hostile terminal: shown as a size and a short
    escaped preview, never as markup."""
    q = select(Quarantined)
    if terminal:
        q = q.where(Quarantined.terminal == terminal)
    with engine.connect() as conn:
        rows = conn.execute(q.order_by(Quarantined.id.desc()).limit(limit)).all()
    return [{"id": r.id, "terminal": r.terminal, "topic": r.topic, "reason": r.reason,
             "size": r.size, "received_at": r.received_at,
             "preview": r.payload[:120].decode("utf-8", "backslashreplace")} for r in rows]
