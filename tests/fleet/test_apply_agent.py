"""The health agent's leaves at ingest (fleet/validate.py, fleet/apply.py): good ones
stored, in the agent's own order; bad ones quarantined without costing the others."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, insert, select

from common.contract import dumps
from fleet.apply import Applier
from fleet.models import AgentStatus, Command, Quarantined, make_engine
from fleet.registry import Registry, register

SITE = "agent-hall"
T, OLD = "T-AGENT", "T-NOAGENT"
BASE = f"kiosk/v1/{SITE}/{T}"


@pytest.fixture
def applier(db_url, tmp_path):
    reg = tmp_path / "terminals.json"
    register(reg, T, SITE, agent=f"{T}/agent")
    register(reg, OLD, SITE)  # provisioned before the agent existed
    engine = make_engine(db_url)
    yield Applier(engine, Registry(reg))
    engine.dispose()


def status(applier) -> AgentStatus:
    with applier.engine.connect() as conn:
        return conn.execute(select(AgentStatus).where(AgentStatus.terminal == T)).one()


def quarantine(applier) -> list[str]:
    with applier.engine.connect() as conn:
        return list(conn.execute(select(Quarantined.reason).order_by(Quarantined.id)).scalars())


def ui(ts: float, health: str, **extra) -> tuple[str, bytes]:
    return (f"{BASE}/agent/ui", dumps({"ts": ts, "unit": "kiosk-ui.service", "health": health,
                                       "active": "failed" if health == "failed" else "active",
                                       "sub": "failed" if health == "failed" else "running",
                                       "result": extra.pop("result", "success"),
                                       "restarts": 3, **extra}))


def test_good_agent_leaves_are_stored_in_the_agents_own_order(applier):
    now = time.time()
    lines = ["kiosk: config error", "<script>alert(1)</script>", "长 " * 100]
    stored = applier.apply([
        (f"{BASE}/agent/state", dumps({"state": "online", "ts": now, "version": "0.2.0"})),
        ui(now + 2, "failed", result="exit-code", log=lines),
        ui(now + 1, "restarting"),  # older, arriving later (another console process)
        (f"{BASE}/agent/cmd", b'{"cmd":"restart_ui"}'),  # the console's own, read back
    ])
    assert stored == 4 and quarantine(applier) == []
    s = status(applier)
    assert (s.state, s.version, s.ui_health, s.ui_result, s.ui_restarts) == (
        "online", "0.2.0", "failed", "exit-code", 3)
    assert json.loads(s.log) == lines  # kept as data, as it came
    applier.apply([ui(now + 3, "running")])  # no log with a running UI: the last is kept
    assert (status(applier).ui_health, json.loads(status(applier).log)) == ("running", lines)
    applier.apply([(f"{BASE}/agent/logs", dumps({"id": "ab12", "lines": ["x"], "ts": now + 4})),
                   (f"{BASE}/agent/state", dumps({"state": "offline", "ts": now + 5,
                                                  "reason": "lost"}))])
    s = status(applier)
    assert (json.loads(s.log), s.state, s.reason) == (["x"], "offline", "lost")


def test_an_agent_result_answers_only_its_own_agent_command(applier):
    with applier.engine.begin() as conn:
        for cid, tid, cmd in (("a1", T, "agent:restart_ui"), ("u1", T, "reboot"),
                              ("b1", "T-OTHER", "agent:reboot")):
            conn.execute(insert(Command).values(id=cid, terminal=tid, cmd=cmd, by="op",
                                                sent_at=1))
    # The UI's own cmd/result cannot answer the agent's command ...
    applier.apply([(f"{BASE}/cmd/result", dumps({"id": "a1", "result": "refused",
                                                 "stream": "r", "seq": 1}))])
    # ... nor the agent's one the UI's, or another terminal's
    answer = {"cmd": "restart_ui", "ok": True, "result": "done", "detail": "", "ts": 1}
    applier.apply([(f"{BASE}/agent/cmd/result", dumps({"id": cid, **answer}))
                   for cid in ("a1", "u1", "b1")])
    with applier.engine.connect() as conn:
        results = dict(conn.execute(select(Command.id, Command.result)).all())
    assert results == {"a1": "done", "u1": "sent", "b1": "sent"}


@pytest.mark.parametrize("leaf, body, why", [
    ("agent/state", {"state": "asleep", "ts": 1}, "agent/state: state"),
    ("agent/state", {"state": "online", "ts": "1"}, "agent/state: ts"),
    ("agent/ui", {"ts": 1, "health": "<b>ok</b>"}, "agent/ui: health"),
    ("agent/ui", {"ts": 1, "health": "failed", "restarts": 10**20}, "agent/ui: restarts"),
    ("agent/ui", {"ts": 1, "health": "failed", "active": "x y"}, "agent/ui: active"),
    ("agent/ui", {"ts": 1, "health": "failed", "log": "one string"}, "agent/ui: log"),
    ("agent/ui", {"ts": 1, "health": "failed", "log": ["x" * 241]}, "agent/ui: log.0"),
    ("agent/ui", {"ts": 1, "health": "failed", "log": ["x"] * 201}, "agent/ui: log"),
    ("agent/logs", {"id": "a", "lines": [1], "ts": 1}, "agent/logs: lines.0"),
    ("agent/logs", {"id": "a", "lines": [], "ts": 1, "pad": "x" * 170_000}, "bytes (at most"),
    ("agent/cmd/result", {"id": "a/b", "result": "done"}, "agent/cmd/result: id"),
    ("agent/health", {"ts": 1, "light": "green"}, "unknown leaf"),  # the ACL lets it write
])
def test_a_bad_agent_message_is_quarantined_and_the_good_ones_stored(applier, leaf, body,
                                                                     why):
    now = time.time()
    stored = applier.apply([ui(now, "restarting"), (f"{BASE}/{leaf}", dumps(body)),
                            (f"{BASE}/agent/state", dumps({"state": "online", "ts": now}))])
    assert stored == 2
    (reason,) = quarantine(applier)
    assert why in reason, reason
    assert (status(applier).ui_health, status(applier).state) == ("restarting", "online")


def test_agent_leaves_for_a_terminal_provisioned_without_an_agent_are_quarantined(applier):
    stored = applier.apply([(f"kiosk/v1/{SITE}/{OLD}/agent/state",
                             dumps({"state": "online", "ts": 1}))])
    assert stored == 0 and quarantine(applier) == ["no health agent provisioned for it"]
    with applier.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(AgentStatus)).scalar() == 0


def test_the_largest_report_an_agent_sends_is_accepted():
    from fleet.validate import check

    lines = ["长" * 240] * 200  # collect_logs at its cap, every character 3 bytes
    msg = check(f"{BASE}/agent/logs", dumps({"id": "ab", "lines": lines, "ts": 1.5}))
    assert msg is not None and msg.body.lines == lines


def test_the_agents_report_is_no_sign_of_the_uis_life(applier):
    """A dead UI's terminal still turns grey by its silence: only its own messages count
    as seen; the agent's bump the board's cursor alone."""
    from fleet.models import Terminal

    applier.apply([ui(time.time(), "failed")])
    with applier.engine.connect() as conn:
        seen, updated = conn.execute(select(Terminal.last_seen, Terminal.updated)
                                     .where(Terminal.id == T)).one()
    assert seen == 0 and updated > 0
