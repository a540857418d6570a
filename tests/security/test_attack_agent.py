"""The health agent's own login ("<id>/agent") against the shipped broker config and
ACL: neither the UI's login nor the agent's can speak or listen as the other, and the
two connected at once do not kick each other off (the broker makes a login its
client id: with one shared login they did, over and over)."""

from __future__ import annotations

import json
import time

from agent.link import AgentLink
from agent.settings import AgentSettings
from common.contract import agent_login
from tests.helpers.mqtt import Collector
from tests.security.conftest import Login, wait

SITE = "agent-hall"


def base(tid: str) -> str:
    return f"kiosk/v1/{SITE}/{tid}"


def seen(col: Collector, topic: str) -> list[bytes]:
    with col._cond:
        return [p for t, p, _r in col.messages if t == topic]


def marker(col: Collector, login: Login, topic: str) -> None:
    """Published by ``login`` on a topic it may write: once the collector has it, every
    earlier publish of that connection has been through the broker."""
    body = {"marker": time.monotonic()}
    login.send(topic, body)
    wait(lambda: json.dumps(body, separators=(",", ":")).encode() in seen(col, topic),
         what=f"the marker on {topic}")


def test_the_agents_login_cannot_write_nor_read_the_uis_topics(fleet):
    col = Collector(fleet.broker, client_id="agent-acl-1")
    creds = fleet.broker.add_terminal("T-AG1", SITE)
    assert creds["agent_username"] == agent_login("T-AG1") != creds["username"]
    assert creds["agent_password"] != creds["password"]
    agent = Login(fleet.broker, fleet.broker.agent_creds(creds))
    got: list[str] = []
    agent.client.on_message = lambda _c, _u, m: got.append(m.topic)
    agent.client.subscribe([(f"{base('T-AG1')}/cmd", 1), (f"{base('T-AG1')}/state", 1)])
    for leaf in ("state", "health", "event", "txn", "cmd/result", "screenshot"):
        agent.send(f"{base('T-AG1')}/{leaf}", {"state": "offline", "bdseq": 0})
    agent.send(f"{base('T-OTHER')}/agent/state", {"state": "online"})  # another's agent
    col.client.publish(f"{base('T-AG1')}/cmd", b'{"cmd":"reboot"}', qos=1)
    marker(col, agent, f"{base('T-AG1')}/agent/state")
    time.sleep(0.5)
    forged = [t for t, _p, _r in col.messages if not t.endswith("/agent/state")
              or "T-OTHER" in t]
    assert forged == [f"{base('T-AG1')}/cmd"], forged  # only the console's own command
    assert got == [], f"the agent read the UI's {got}"
    agent.close()
    col.close()


def test_the_uis_login_cannot_write_nor_read_the_agents_topics(fleet):
    col = Collector(fleet.broker, client_id="agent-acl-2")
    creds = fleet.broker.add_terminal("T-AG2", SITE)
    ui = Login(fleet.broker, creds)
    got: list[str] = []
    ui.client.on_message = lambda _c, _u, m: got.append(m.topic)
    ui.client.subscribe([(f"{base('T-AG2')}/agent/cmd", 1)])
    for leaf in ("agent/state", "agent/ui", "agent/cmd/result", "agent/logs"):
        ui.send(f"{base('T-AG2')}/{leaf}", {"state": "online", "health": "running"})
    col.client.publish(f"{base('T-AG2')}/agent/cmd", b'{"cmd":"reboot"}', qos=1)
    marker(col, ui, f"{base('T-AG2')}/health")
    time.sleep(0.5)
    forged = [t for t, _p, _r in col.messages if "/agent/" in t and not t.endswith("agent/cmd")]
    assert forged == [], forged
    assert got == [], f"the UI read the agent's {got}"
    ui.close()
    col.close()


def test_the_ui_and_its_agent_stay_connected_together(fleet):
    """The real AgentLink beside the UI's login, 10 s: no drop, one birth each."""
    col = Collector(fleet.broker, client_id="agent-acl-3")
    creds = fleet.broker.add_terminal("T-AG3", SITE)
    ui = Login(fleet.broker, creds)
    link = AgentLink(AgentSettings.model_validate({
        "terminal": {"id": "T-AG3", "site": SITE},
        "broker": {"host": fleet.broker.host, "port": fleet.broker.port, "tls": True,
                   "ca_file": str(fleet.broker.ca_file), "username": creds["username"],
                   "password": creds["password"]},
        "login": fleet.broker.agent_creds(creds)}), "0.1.0")
    drops: list[object] = []
    link.client.on_disconnect = lambda *a: drops.append(a)
    link.start()
    try:
        wait(lambda: seen(col, f"{base('T-AG3')}/agent/state"), what="the agent's birth")
        for _ in range(10):
            ui.send(f"{base('T-AG3')}/health", {"ts": time.time(), "light": "green"})
            time.sleep(1)
        assert (ui.connects, ui.drops) == (1, 0)
        assert drops == [] and link.connected
        births = [json.loads(p) for p in seen(col, f"{base('T-AG3')}/agent/state")]
        assert [b["state"] for b in births] == ["online"], births
    finally:
        link.stop()
        ui.close()
        col.close()
