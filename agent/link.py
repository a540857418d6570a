"""The agent's own MQTT connection: birth, Last Will, the UI report, its commands.

Separate from the UI's connection (another client id, the same terminal login): the
console hears from the agent when the UI's process is gone. paho runs the network
in its own thread; messages received are handed to the main loop through a queue,
so that every action runs on the main thread the watchdog watches.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import ssl
import time
from typing import Any

import paho.mqtt.client as mqtt

from agent.settings import AgentSettings
from common import contract as c

log = logging.getLogger(__name__)
MAX_COMMAND_BYTES = 4096  # a signed command is a few hundred bytes


class AgentLink:
    def __init__(self, settings: AgentSettings, version: str,
                 client_cert: tuple[str, str] | None = None):
        self.settings = settings
        b, t = settings.broker, settings.terminal
        self.base = c.base_topic(b.topic_prefix, t.site, t.id)
        self.version = version
        self.commands: queue.Queue[bytes] = queue.Queue(maxsize=32)
        self.connected = False
        self._last_ui: bytes | None = None
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"agent-{t.id}",
                             protocol=mqtt.MQTTv5)
        if b.username:
            client.username_pw_set(b.username, b.password or None)
        if b.tls:
            cert, key = client_cert or (None, None)  # the terminal's own, when enrolled
            client.tls_set(ca_certs=str(b.ca_file) if b.ca_file else None,
                           certfile=cert, keyfile=key, cert_reqs=ssl.CERT_REQUIRED)
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        client.will_set(self.topic(c.AGENT_STATE), self._state("offline", reason="lost"),
                        qos=1, retain=True)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        self.client = client

    def topic(self, leaf: str) -> str:
        return f"{self.base}/{leaf}"

    def _state(self, state: str, **extra: Any) -> bytes:
        return c.dumps({"state": state, "ts": round(time.time(), 3), "version": self.version,
                        **extra})

    def start(self) -> None:
        b = self.settings.broker
        self.client.connect_async(b.host, b.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        info = self.client.publish(self.topic(c.AGENT_STATE),
                                   self._state("offline", reason="shutdown"), qos=1, retain=True)
        if self.connected:
            with contextlib.suppress(RuntimeError):
                info.wait_for_publish(timeout=3)
        self.client.disconnect()
        self.client.loop_stop()

    def _on_connect(self, client, _userdata, _flags, reason_code, _props) -> None:
        if reason_code.is_failure:
            log.warning("broker refused the agent's connection: %s", reason_code)
            return
        self.connected = True
        log.info("agent connected to the fleet broker")
        client.publish(self.topic(c.AGENT_STATE), self._state("online"), qos=1, retain=True)
        if self._last_ui is not None:  # the console sees the UI's state after an outage
            client.publish(self.topic(c.AGENT_UI), self._last_ui, qos=1, retain=True)
        client.subscribe([(self.topic(c.AGENT_CMD), 1)])

    def _on_disconnect(self, *_a) -> None:
        self.connected = False

    def _on_message(self, _client, _userdata, message) -> None:
        if len(message.payload) > MAX_COMMAND_BYTES:
            log.warning("agent command of %d bytes dropped", len(message.payload))
            return
        try:
            self.commands.put_nowait(bytes(message.payload))
        except queue.Full:
            log.warning("agent command dropped: %d waiting", self.commands.qsize())

    def publish_ui(self, body: dict[str, Any]) -> None:
        self._last_ui = c.dumps(body)
        self.client.publish(self.topic(c.AGENT_UI), self._last_ui, qos=1, retain=True)

    def publish(self, leaf: str, body: dict[str, Any], wait_s: float = 0) -> bool:
        """QoS 1; with ``wait_s``, True once the broker has acknowledged it."""
        info = self.client.publish(self.topic(leaf), c.dumps(body), qos=1)
        if wait_s <= 0:
            return True
        try:
            info.wait_for_publish(timeout=wait_s)
        except RuntimeError:
            return False
        return info.is_published()
