"""Console side of remote commands: sign with the terminal's key, publish, record."""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from fleet.models import Command, Terminal
from kiosk.fleet import contract as c
from kiosk.fleet.signing import sign_command, terminal_key


class UnknownTerminal(LookupError):
    pass


class CommandSender:
    def __init__(self, engine: Engine, publish: Any, fleet_key: bytes,
                 prefix: str = f"kiosk/v{c.VERSION}"):
        self._engine = engine
        self._publish = publish  # (topic, payload) -> MQTTMessageInfo
        self._key = fleet_key
        self._prefix = prefix

    def send(self, tid: str, cmd: str, args: dict[str, Any], by: str) -> dict[str, Any]:
        if cmd not in c.COMMANDS:
            raise ValueError(f"unknown command {cmd!r}")
        with self._engine.connect() as conn:
            site = conn.execute(select(Terminal.site).where(Terminal.id == tid)).scalar()
        if site is None:
            raise UnknownTerminal(tid)
        body = sign_command(terminal_key(self._key, tid), tid, cmd, args, by=by)
        with self._engine.begin() as conn:
            conn.execute(insert(Command).values(id=body["id"], terminal=tid, cmd=cmd,
                                                args=json.dumps(args), by=by,
                                                sent_at=time.time(), result="sent"))
        self._publish(f"{c.base_topic(self._prefix, site, tid)}/{c.CMD}", c.dumps(body))
        return body
