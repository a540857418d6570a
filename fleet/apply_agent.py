"""The health agent's messages into the store (``agents`` table, fleet/models.py).

Called by fleet/apply.py inside its transaction with messages already checked
(fleet/validate.py). Order-independent like the rest: each part of a row (the
agent's birth/death, the UI's state, the journal lines) is replaced only by a
newer ``ts`` of the agent's own. A result updates only an agent command sent to
that terminal and not yet answered.
"""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import and_, update
from sqlalchemy.engine import Connection

from common import contract as c
from fleet.models import AgentStatus, Command
from fleet.validate import AgentLogs, AgentResult, AgentState, AgentUi, Message

AGENT_CMD_PREFIX = "agent:"  # Command.cmd of a command sent to the agent (fleet/commands.py)


def store(conn: Connection, msgs: list[Message], counts: Counter[str], now: float) -> set[str]:
    """Store the agent leaves of ``msgs``; returns the terminals whose row changed."""
    from fleet.apply import _insert_ignore  # one definition of the portable INSERT IGNORE

    tids = sorted({m.terminal for m in msgs if m.leaf != c.AGENT_RESULT})
    _insert_ignore(conn, AgentStatus, [{"terminal": t} for t in tids])
    changed: set[str] = set()
    for m in msgs:
        counts[m.leaf] += 1
        body, row = m.body, AgentStatus.terminal == m.terminal
        if isinstance(body, AgentState):
            done = conn.execute(update(AgentStatus).where(and_(
                row, AgentStatus.state_ts <= body.ts)).values(
                state=body.state, reason=body.reason if body.state == "offline" else "",
                version=body.version, state_ts=body.ts))
        elif isinstance(body, AgentUi):
            values = {"ui_health": body.health, "ui_active": body.active, "ui_sub": body.sub,
                      "ui_result": body.result, "ui_restarts": body.restarts,
                      "ui_ts": body.ts}
            if body.log is not None:  # a running UI's report carries none: keep the last
                values |= {"log": json.dumps(body.log, ensure_ascii=False), "log_ts": body.ts}
            done = conn.execute(update(AgentStatus).where(and_(
                row, AgentStatus.ui_ts <= body.ts)).values(**values))
        elif isinstance(body, AgentLogs):
            done = conn.execute(update(AgentStatus).where(and_(
                row, AgentStatus.log_ts <= body.ts)).values(
                log=json.dumps(body.lines, ensure_ascii=False), log_ts=body.ts))
        elif isinstance(body, AgentResult):
            done = conn.execute(update(Command).where(and_(
                Command.id == body.id, Command.terminal == m.terminal,
                Command.cmd.startswith(AGENT_CMD_PREFIX), Command.answered_at.is_(None)))
                .values(result=body.result, detail=body.detail, answered_at=now))
        else:  # pragma: no cover - check() made every agent leaf one of the above
            raise TypeError(f"not an agent message: {type(body).__name__}")
        if done.rowcount:
            changed.add(m.terminal)
    return changed
