"""Console side of remote commands: sign with the terminal's key, publish, record."""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from common import contract as c
from common.command_signing import sign_command, terminal_key
from fleet.apply_agent import AGENT_CMD_PREFIX
from fleet.models import AgentStatus, Command, Terminal
from fleet.queries import display_light


class UnknownTerminal(LookupError):
    pass


class TerminalOffline(RuntimeError):
    """Not sent: the terminal is grey, and a command is only good for 60 s (signing.py),
    so it could never run. Staff are told instead of watching it wait."""

    def __init__(self, tid: str, last_seen: float):
        super().__init__(f"terminal {tid} is offline")
        self.tid, self.last_seen = tid, last_seen


class AgentOffline(RuntimeError):
    """Not sent: the terminal's health agent is not connected (or never was)."""

    def __init__(self, tid: str):
        super().__init__(f"the health agent of {tid} is not connected")
        self.tid = tid


class CommandSender:
    def __init__(self, engine: Engine, publish: Any, fleet_key: bytes,
                 prefix: str = f"kiosk/v{c.VERSION}", offline_after: float = 900):
        self._engine = engine
        self._offline_after = offline_after
        self._publish = publish  # (topic, payload) -> MQTTMessageInfo
        self._key = fleet_key
        self._prefix = prefix

    def send(self, tid: str, cmd: str, args: dict[str, Any], by: str) -> dict[str, Any]:
        if cmd not in c.COMMANDS:
            raise ValueError(f"unknown command {cmd!r}")
        with self._engine.connect() as conn:
            row = conn.execute(select(Terminal.site, Terminal.online, Terminal.last_seen)
                               .where(Terminal.id == tid)).first()
        if row is None:
            raise UnknownTerminal(tid)
        site = row.site
        now = time.time()
        if display_light(row.online, row.last_seen, "green", self._offline_after, now) == "grey":
            raise TerminalOffline(tid, row.last_seen)
        body = sign_command(terminal_key(self._key, tid), tid, cmd, args, by=by)
        with self._engine.begin() as conn:
            conn.execute(insert(Command).values(id=body["id"], terminal=tid, cmd=cmd,
                                                args=json.dumps(args), by=by,
                                                sent_at=now, result="sent"))
        self._publish(f"{c.base_topic(self._prefix, site, tid)}/{c.CMD}", c.dumps(body))
        return body

    def send_agent(self, tid: str, cmd: str, args: dict[str, Any], by: str) -> dict[str, Any]:
        """A command for the terminal's health agent (agent/cmd): signed with the same
        terminal key, and sent while the UI is grey too (that is what the agent is
        for), but only while the agent itself is online."""
        if cmd not in c.AGENT_COMMANDS:
            raise ValueError(f"unknown agent command {cmd!r}")
        with self._engine.connect() as conn:
            row = conn.execute(select(Terminal.site, AgentStatus.state)
                               .join(AgentStatus, AgentStatus.terminal == Terminal.id,
                                     isouter=True)
                               .where(Terminal.id == tid)).first()
        if row is None:
            raise UnknownTerminal(tid)
        if row.state != "online":
            raise AgentOffline(tid)
        body = sign_command(terminal_key(self._key, tid), tid, cmd, args, by=by)
        with self._engine.begin() as conn:
            conn.execute(insert(Command).values(id=body["id"], terminal=tid,
                                                cmd=AGENT_CMD_PREFIX + cmd,
                                                args=json.dumps(args), by=by,
                                                sent_at=time.time(), result="sent"))
        self._publish(f"{c.base_topic(self._prefix, row.site, tid)}/{c.AGENT_CMD}",
                      c.dumps(body))
        return body
