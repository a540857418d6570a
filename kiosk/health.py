"""Tells the fleet the terminal is alive: a retained state, a Last Will, a heartbeat.

Topics (v1, the fleet issue extends the contract; see docs/fleet-contract.md):
  kiosk/v1/<site>/<terminal>/state      retained  {"state": "online"|"offline", ...}
  kiosk/v1/<site>/<terminal>/heartbeat            {"ts", "uptime_s", "devices", ...}
The broker publishes the Last Will ("offline", reason "lost") when the kiosk dies
without a clean disconnect; a clean stop publishes "offline" itself, because a
clean disconnect does not fire the Will. Nothing personal is ever published.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt

from kiosk.config import BrokerConfig, TerminalConfig

log = logging.getLogger(__name__)


class HealthReporter:
    def __init__(
        self,
        broker: BrokerConfig,
        terminal: TerminalConfig,
        version: str,
        snapshot: Callable[[], dict[str, Any]] = dict,
    ):
        self._broker = broker
        self._version = version
        self._snapshot = snapshot  # what the heartbeat carries: devices, phase; never personal
        self._base = f"{broker.topic_prefix}/{terminal.site}/{terminal.id}"
        self._started = time.time()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=f"kiosk-{terminal.id}",
            clean_session=True,
        )
        self.client.will_set(
            self.topic("state"), self._state_payload("offline", reason="lost"), qos=1, retain=True
        )
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect

    def topic(self, leaf: str) -> str:
        return f"{self._base}/{leaf}"

    def _state_payload(self, state: str, **extra: Any) -> str:
        body = {"state": state, "ts": round(time.time(), 3), "version": self._version, **extra}
        return json.dumps(body, separators=(",", ":"))

    # paho calls these on its own network thread.
    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            log.warning("broker refused the connection: %s", reason_code)
            return
        log.info("connected to broker %s:%s", self._broker.host, self._broker.port)
        client.publish(self.topic("state"), self._state_payload("online"), qos=1, retain=True)
        self.connected.set()
        self._heartbeat()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        self.connected.clear()
        if not self._stop.is_set():
            log.warning("lost the broker (%s); reconnecting", reason_code)

    def _heartbeat(self) -> None:
        body = {"ts": round(time.time(), 3), "uptime_s": round(time.time() - self._started)}
        body.update(self._snapshot())
        self.client.publish(self.topic("heartbeat"), json.dumps(body, ensure_ascii=False), qos=0)

    def _run(self) -> None:
        while not self._stop.wait(self._broker.heartbeat_s):
            if self.connected.is_set():
                self._heartbeat()

    def start(self) -> None:
        """Connect in the background: a broker that is down never delays the kiosk."""
        self.client.connect_async(self._broker.host, self._broker.port, keepalive=30)
        self.client.loop_start()
        self._thread = threading.Thread(target=self._run, name="health-heartbeat", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """A clean shutdown: say "offline" ourselves, then disconnect."""
        self._stop.set()
        if self.connected.is_set():
            info = self.client.publish(
                self.topic("state"), self._state_payload("offline", reason="shutdown"),
                qos=1, retain=True,
            )
            with contextlib.suppress(RuntimeError, ValueError):  # broker went away meanwhile
                info.wait_for_publish(timeout=2)
        self.client.disconnect()
        self.client.loop_stop()
        if self._thread:
            self._thread.join(timeout=2)
