"""Commands for the health agent (fleet/commands.py send_agent): signed for the
terminal, published on agent/cmd, sent while the UI is grey, never while the agent is."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import insert, select

from common.command_signing import check_command, terminal_key
from fleet.commands import AgentOffline, CommandSender, UnknownTerminal
from fleet.models import AgentStatus, Command, Terminal, make_engine

KEY = bytes(range(32))


@pytest.fixture
def sender(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'c.sqlite'}")
    with engine.begin() as conn:  # the UI is grey: its death, long silent
        conn.execute(insert(Terminal).values(id="T-1", site="hall", online=False, last_seen=0))
    sent: list[tuple[str, bytes]] = []
    yield CommandSender(engine, lambda topic, body: sent.append((topic, body)), KEY), sent
    engine.dispose()


def agent_is(sender, state: str) -> None:
    with sender._engine.begin() as conn:
        conn.execute(insert(AgentStatus).values(terminal="T-1", state=state, state_ts=1))


def test_an_agent_command_reaches_the_agent_while_the_ui_is_grey(sender):
    s, sent = sender
    agent_is(s, "online")
    body = s.send_agent("T-1", "restart_ui", {}, by="op")
    (topic, payload), = sent
    assert topic == "kiosk/v1/hall/T-1/agent/cmd"
    check_command(terminal_key(KEY, "T-1"), "T-1", json.loads(payload))  # raises if not
    with s._engine.connect() as conn:
        assert conn.execute(select(Command.cmd).where(Command.id == body["id"])).scalar() \
            == "agent:restart_ui"


def test_no_agent_command_while_the_agent_is_offline_or_unknown(sender):
    s, sent = sender
    with pytest.raises(AgentOffline):
        s.send_agent("T-1", "restart_ui", {}, by="op")  # never reported
    agent_is(s, "offline")
    with pytest.raises(AgentOffline):
        s.send_agent("T-1", "collect_logs", {"lines": 5}, by="op")
    with pytest.raises(UnknownTerminal):
        s.send_agent("T-NONE", "restart_ui", {}, by="op")
    with pytest.raises(ValueError):
        s.send_agent("T-1", "out_of_service", {}, by="op")  # the UI's, not the agent's
    assert sent == []
