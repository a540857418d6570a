"""Attacks as a hostile terminal runs them: a real terminal login on the real mosquitto
with the shipped config, ACLs and TLS, against a real console process."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from common.contract import dumps
from fleet.auth import add_user
from fleet.models import Quarantined, Txn, make_engine
from tests.helpers.broker import SecureBroker
from tests.helpers.console_proc import Console, start_console


@dataclass
class Fleet:
    broker: SecureBroker
    console: Console
    engine: Engine
    tmp: Path


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("attack")
    broker = SecureBroker(tmp / "fleet")
    db = f"sqlite:///{tmp / 'console.sqlite'}"
    engine = make_engine(db)
    add_user(engine, "op", "op-pass", "operator")
    console = start_console(tmp, db, broker)
    yield Fleet(broker, console, engine, tmp)
    console.stop()
    broker.stop()
    engine.dispose()


class Login:
    """One MQTT connection with a terminal's login: publishes what it is told to."""

    def __init__(self, broker: SecureBroker, creds: dict[str, str], client_id: str = "",
                 port: int | None = None, connect: bool = True):
        self.connects = 0
        self.drops = 0
        self.refused: list[Any] = []
        self.up = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2,
                                  client_id=client_id or creds["username"],
                                  protocol=mqtt.MQTTv5)
        self.client.username_pw_set(creds["username"], creds["password"])
        self.client.tls_set(ca_certs=str(broker.ca_file))
        self.client.reconnect_delay_set(0.1, 0.5)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.host, self.port = broker.host, port or broker.port
        if connect:
            self.start()

    def _on_connect(self, _c, _u, _f, rc, _p) -> None:
        if rc.is_failure:
            self.refused.append(rc)
            return
        self.connects += 1
        self.up.set()

    def _on_disconnect(self, *_a) -> None:
        if self.up.is_set():
            self.drops += 1
        self.up.clear()

    def start(self, wait: bool = True) -> None:
        self.client.connect_async(self.host, self.port)
        self.client.loop_start()
        if wait:
            assert self.up.wait(10), f"login refused: {self.refused}"

    def send(self, topic: str, payload: bytes | dict, retain: bool = False) -> None:
        data = dumps(payload) if isinstance(payload, dict) else payload
        self.client.publish(topic, data, qos=1, retain=retain).wait_for_publish(10)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def wait(cond, timeout: float = 20, what: str = ""):
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def txns(engine: Engine, tid: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Txn)
                            .where(Txn.terminal == tid)).scalar()


def quarantined(engine: Engine, tid: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Quarantined)
                            .where(Quarantined.terminal == tid)).scalar()


def txn(seq: int, stream: str = "s1", **extra: Any) -> dict:
    return {"ts": time.time(), "kind": "use", "service": "ss.certificate", "outcome": "ok",
            "duration_s": 1.5, "stream": stream, "seq": seq, **extra}
