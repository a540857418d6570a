"""MQTT → store: the console's ingest worker.

Subscribes through an MQTT 5 shared subscription (``$share/<group>/kiosk/v1/#``),
so N console processes split one stream: the broker hands each message to one of
them. A persistent session (fixed client id, session expiry) keeps QoS 1 messages
queued at the broker while this process restarts. paho's thread only queues;
a writer thread stores in batches (one transaction per batch), so a slow disk
slows the batches down rather than the network loop.
"""

from __future__ import annotations

import logging
import queue
import ssl
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from fleet.apply import Applier

log = logging.getLogger(__name__)
BATCH = 2000
BATCH_WAIT_S = 0.05


@dataclass
class BrokerSettings:
    host: str = "127.0.0.1"
    port: int = 1883
    username: str = ""
    password: str = ""
    ca_file: Path | None = None  # set: TLS
    group: str = "fleet"  # shared-subscription group; "" for a plain subscription
    client_id: str = "fleet-console-1"
    topic: str = "kiosk/v1/#"


def mqtt_client(b: BrokerSettings, client_id: str) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                         protocol=mqtt.MQTTv5)
    if b.username:
        client.username_pw_set(b.username, b.password or None)
    if b.ca_file:
        client.tls_set(ca_certs=str(b.ca_file), cert_reqs=ssl.CERT_REQUIRED)
    client.reconnect_delay_set(min_delay=0.5, max_delay=10)
    return client


class Ingest:
    def __init__(self, broker: BrokerSettings, applier: Applier):
        self.broker = broker
        self.applier = applier
        self.received = 0
        self.stored = 0
        self.connected = threading.Event()
        self.subscribed = threading.Event()
        self._queue: queue.SimpleQueue[tuple[str, bytes]] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._writer = threading.Thread(target=self._write_loop, name="ingest-writer",
                                        daemon=True)
        self.client = mqtt_client(broker, broker.client_id)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = lambda *_a: self.connected.clear()
        self.client.on_subscribe = lambda *_a: self.subscribed.set()
        self.client.on_message = self._on_message

    @property
    def filter(self) -> str:
        b = self.broker
        return f"$share/{b.group}/{b.topic}" if b.group else b.topic

    def _on_connect(self, client, _u, flags, reason_code, _p) -> None:
        if reason_code.is_failure:
            log.warning("broker refused the console: %s", reason_code)
            return
        self.connected.set()
        if not flags.session_present:
            client.subscribe(self.filter, qos=1)
        else:
            self.subscribed.set()

    def _on_message(self, _c, _u, msg: mqtt.MQTTMessage) -> None:
        self.received += 1
        self._queue.put((msg.topic, msg.payload))

    def _write_loop(self) -> None:
        while not self._stop.is_set() or not self._queue.empty():
            try:
                batch = [self._queue.get(timeout=0.2)]
            except queue.Empty:
                continue
            deadline = time.monotonic() + BATCH_WAIT_S
            while len(batch) < BATCH:
                try:
                    batch.append(self._queue.get(timeout=max(0, deadline - time.monotonic())))
                except queue.Empty:
                    break
            for attempt in range(5):
                try:
                    self.applier.apply(batch)
                    self.stored += len(batch)
                    break
                except Exception:  # a database hiccup must not lose the batch
                    log.exception("storing a batch failed (attempt %d)", attempt + 1)
                    time.sleep(0.5 * (attempt + 1))

    def start(self) -> None:
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 24 * 3600  # queued at the broker while we restart
        props.ReceiveMaximum = 1000  # QoS 1 in flight towards us: throughput, not latency
        self._writer.start()
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=30,
                                  clean_start=False, properties=props)
        self.client.loop_start()

    def publish(self, topic: str, payload: bytes) -> mqtt.MQTTMessageInfo:
        return self.client.publish(topic, payload, qos=1)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        self._stop.set()
        self._writer.join(timeout=10)
