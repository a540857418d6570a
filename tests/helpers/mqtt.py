"""Test-side MQTT clients: a collecting subscriber and the kiosk-side configs."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt


class Collector:
    """Subscribes (QoS 1) and keeps every message; ``wait_for`` blocks on a condition."""

    def __init__(self, broker: Any, username: str = "console", password: str | None = None,
                 topic: str = "kiosk/v1/#", client_id: str = "test-collector",
                 persistent: bool = False):
        self.messages: list[tuple[str, bytes, bool]] = []
        self._cond = threading.Condition()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                                  protocol=mqtt.MQTTv5)
        self.client.username_pw_set(username, password or broker.console_password)
        self.client.tls_set(ca_certs=str(broker.ca_file))
        subscribed = threading.Event()
        self.client.on_connect = lambda c, *_a: c.subscribe(topic, qos=1)
        self.client.on_subscribe = lambda *_a: subscribed.set()
        self.client.on_message = self._on_message
        self.client.reconnect_delay_set(0.2, 1)
        props = None
        if persistent:
            from paho.mqtt.packettypes import PacketTypes
            from paho.mqtt.properties import Properties

            props = Properties(PacketTypes.CONNECT)
            props.SessionExpiryInterval = 3600
        port = broker.port_for(username) if hasattr(broker, "port_for") else broker.port
        self.client.connect(broker.host, port, clean_start=not persistent,
                            properties=props)
        self.client.loop_start()
        assert subscribed.wait(10), "collector could not subscribe"

    def _on_message(self, _c, _u, msg: mqtt.MQTTMessage) -> None:
        with self._cond:
            self.messages.append((msg.topic, msg.payload, bool(msg.retain)))
            self._cond.notify_all()

    def json(self, suffix: str) -> list[dict]:
        with self._cond:
            return [json.loads(p) for t, p, _r in self.messages if t.endswith(suffix)]

    def wait_for(self, cond: Callable[[], bool], timeout: float = 10, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not cond():
                left = deadline - time.monotonic()
                assert left > 0, f"timed out waiting for {what or cond}"
                self._cond.wait(min(left, 0.2))

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def broker_config(broker: Any, creds: dict[str, str], heartbeat_s: float = 300):
    from kiosk.config import BrokerConfig

    return BrokerConfig(host=broker.host, port=broker.port, heartbeat_s=heartbeat_s, tls=True,
                        ca_file=broker.ca_file, username=creds["username"],
                        password=creds["password"])
