"""The agent's MQTT link against a real mosquitto with the shipped TLS, logins and ACL."""

from __future__ import annotations

import json

import paho.mqtt.client as mqtt
import pytest

from agent.link import MAX_COMMAND_BYTES, AgentLink
from agent.settings import AgentSettings
from tests.helpers.broker import SecureBroker
from tests.helpers.mqtt import Collector

SITE = "hall"


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    b = SecureBroker(tmp_path_factory.mktemp("broker"))
    yield b
    b.stop()


def settings(broker, creds) -> AgentSettings:
    return AgentSettings.model_validate({
        "terminal": {"id": creds["username"], "site": SITE},
        "broker": {"host": broker.host, "port": broker.port, "tls": True,
                   "ca_file": str(broker.ca_file), "username": creds["username"],
                   "password": creds["password"]},
    })


def test_birth_report_commands_and_clean_death(broker):
    creds = broker.add_terminal("A-1")
    col = Collector(broker, client_id="c-agent-1")
    link = AgentLink(settings(broker, creds), "0.1.0")
    link.start()
    base = f"kiosk/v1/{SITE}/A-1"
    try:
        col.wait_for(lambda: col.json(f"{base}/agent/state"), what="the agent's birth")
        assert col.json(f"{base}/agent/state")[-1]["state"] == "online"
        link.publish_ui({"health": "failed", "result": "watchdog"})
        col.wait_for(lambda: col.json(f"{base}/agent/ui"), what="the UI report")
        assert col.json(f"{base}/agent/ui")[-1]["result"] == "watchdog"
        col.client.publish(f"{base}/agent/cmd", b"x" * (MAX_COMMAND_BYTES + 1), qos=1)
        col.client.publish(f"{base}/agent/cmd", json.dumps({"cmd": "restart_ui"}), qos=1)
        assert json.loads(link.commands.get(timeout=10))["cmd"] == "restart_ui"
        assert link.commands.empty()  # the oversized one was dropped
    finally:
        link.stop()
    col.wait_for(lambda: col.json(f"{base}/agent/state")[-1]["state"] == "offline",
                 what="the agent's clean death")
    assert col.json(f"{base}/agent/state")[-1]["reason"] == "shutdown"
    col.close()


def test_a_terminal_cannot_forge_another_agent_nor_command_its_own(broker):
    col = Collector(broker, client_id="c-agent-acl")
    creds = broker.add_terminal("A-EVIL")
    evil = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="A-EVIL",
                       protocol=mqtt.MQTTv5)
    evil.username_pw_set(creds["username"], creds["password"])
    evil.tls_set(ca_certs=str(broker.ca_file))
    evil.connect(broker.host, broker.port)
    evil.loop_start()
    for topic in (f"kiosk/v1/{SITE}/A-VICTIM/agent/ui", f"kiosk/v1/{SITE}/A-VICTIM/agent/state",
                  f"kiosk/v1/{SITE}/A-VICTIM/agent/cmd", f"kiosk/v1/{SITE}/A-EVIL/agent/cmd",
                  f"kiosk/v1/{SITE}/A-EVIL/agent/other"):
        evil.publish(topic, b'{"health":"running"}', qos=1).wait_for_publish(5)
    evil.publish(f"kiosk/v1/{SITE}/A-EVIL/agent/ui", b'{"marker":1}', qos=1).wait_for_publish(5)
    col.wait_for(lambda: any(t.endswith("A-EVIL/agent/ui") for t, _p, _r in col.messages))
    forged = [t for t, _p, _r in col.messages
              if "A-VICTIM" in t or t.endswith("/agent/cmd") or t.endswith("/agent/other")]
    assert forged == []
    evil.disconnect()
    evil.loop_stop()
    col.close()
