"""What the console's pages read. Plain dicts out, so templates and JSON share them."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Engine

from fleet.models import AgentStatus, Alarm, Command, Quarantined, Screenshot, Terminal, Txn

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


UI_LIGHT = {"failed": "red", "dead": "red", "restarting": "yellow", "starting": "yellow"}


def ui_light(agent: Any) -> str | None:
    """The light the UI's state from the health agent sets, while the agent is online:
    red when the UI is failed or dead, yellow while it (re)starts; None otherwise. It
    wins over the terminal's own light, grey included: a dead UI's connection is gone
    with it, and the agent says why."""
    if agent is None or agent.state != "online":
        return None
    return UI_LIGHT.get(agent.ui_health)


def terminal_row(t: Any, offline_after: float, now: float, alarms: int = 0,
                 agent: Any = None) -> dict[str, Any]:
    light = display_light(t.online, t.last_seen, t.light, offline_after, now)
    return {
        "id": t.id, "site": t.site, "online": t.online, "reported": t.light,
        "light": ui_light(agent) or light,
        "oos": t.oos, "paper": t.paper, "version": t.version, "last_seen": t.last_seen,
        "reason": t.state_reason, "alarms": alarms, "updated": t.updated,
        # the UI unit as the agent reports it (codes; the page words them)
        "ui_light": ui_light(agent), "ui_health": agent.ui_health if agent else "",
        "ui_result": agent.ui_result if agent else "",
        "agent": agent.state if agent else "",
    }


AGENT_COLUMNS = [col for col in AgentStatus.__table__.columns if col.name != "terminal"]


def _with_agents() -> Any:
    """Each terminal's columns, then its health agent's as ``a_<name>`` (a Core row)."""
    return select(Terminal, *(col.label("a_" + col.name) for col in AGENT_COLUMNS)).outerjoin(
        AgentStatus, AgentStatus.terminal == Terminal.id)


def _split(row: Any) -> tuple[Any, SimpleNamespace | None]:
    """(the terminal's row, its agent's values or None when no agent has reported)."""
    m = row._mapping
    if m["a_state_ts"] is None:
        return row, None
    return row, SimpleNamespace(**{col.name: m["a_" + col.name] for col in AGENT_COLUMNS})


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
        rows = [_split(r) for r in conn.execute(_with_agents()
                                                .order_by(Terminal.site, Terminal.id))]
    return [terminal_row(t, offline_after, now, counts.get(t.id, 0), a) for t, a in rows]


def changed_since(engine: Engine, cursor: float, offline_after: float) -> list[dict[str, Any]]:
    now = time.time()
    with engine.connect() as conn:
        rows = [_split(r) for r in conn.execute(_with_agents().where(Terminal.updated > cursor))]
    counts = active_alarm_counts(engine, [t.id for t, _a in rows]) if rows else {}
    return [terminal_row(t, offline_after, now, counts.get(t.id, 0), a) for t, a in rows]


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
        found = conn.execute(_with_agents().where(Terminal.id == tid)).first()
        if found is None:
            return None
        t, agent = _split(found)
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
        **terminal_row(t, offline_after, now, sum(1 for a in recent if not a["cleared_at"]),
                       agent),
        "agent_detail": agent_detail(agent),
        "health": json.loads(t.health or "{}"), "hb": t.hb,
        "alarms_list": recent,
        "chart": [{"day": d, "n": counts.get(d, (0, None))[0],
                   "rating": counts.get(d, (0, None))[1]} for d in days],
        "commands": [command_row(dict(r._mapping), command_timeout, now) for r in commands],
        "screenshot_ts": shot,
    }


def agent_detail(agent: Any) -> dict[str, Any] | None:
    """The health agent's last word, for the terminal page; the journal lines are data
    (a list of strings, rendered as text)."""
    if agent is None:
        return None
    try:
        lines = [str(line) for line in json.loads(agent.log or "[]")]
    except ValueError:
        lines = []
    return {"state": agent.state, "reason": agent.reason, "version": agent.version,
            "state_ts": agent.state_ts, "health": agent.ui_health, "active": agent.ui_active,
            "sub": agent.ui_sub, "result": agent.ui_result, "restarts": agent.ui_restarts,
            "ui_ts": agent.ui_ts, "log": lines, "log_ts": agent.log_ts}


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
             "preview": printable(r.payload[:PREVIEW_BYTES])} for r in rows]


PREVIEW_BYTES = 160  # of a quarantined payload, on the console's page


def printable(payload: bytes) -> str:
    """Bytes as text a person can read and nothing can hide in: valid UTF-8 as it is,
    every other byte, control or invisible character (bidi overrides, NUL, ESC) and
    the backslash itself escaped, so what is shown is exactly what came."""
    out = []
    for ch in payload.decode("utf-8", "surrogateescape"):
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch == "\\":
            out.append("\\\\")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(ESCAPES.get(ch) or escaped(code))
    return "".join(out)


ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else \
        f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
