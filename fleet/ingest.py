"""MQTT → store: the console's ingest worker.

Subscribes through an MQTT 5 shared subscription (``$share/<group>/kiosk/v1/#``),
so N console processes split one stream: the broker hands each message to one of
them. A persistent session (fixed client id, session expiry) keeps QoS 1 messages
queued at the broker while this process restarts. paho's thread only queues; a
batcher thread hands batches to a writer *process* that parses and stores them
(one transaction per batch). A process, not a thread: receiving and storing then
run on two cores instead of taking turns on one interpreter lock.
"""

from __future__ import annotations

import logging
import multiprocessing
import ssl
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

log = logging.getLogger(__name__)
BATCH = 2000
BATCH_WAIT_S = 0.02


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


def console_client_id(name: str) -> str:
    """The console's MQTT client id: "console." + name. A terminal's client id is its
    login (the broker forces it), and a terminal id holds no ".": no terminal can take
    over the console's persistent session."""
    return name if name.startswith("console.") else f"console.{name}"


def mqtt_client(b: BrokerSettings, client_id: str) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                         protocol=mqtt.MQTTv5)
    if b.username:
        client.username_pw_set(b.username, b.password or None)
    if b.ca_file:
        client.tls_set(ca_certs=str(b.ca_file), cert_reqs=ssl.CERT_REQUIRED)
    client.reconnect_delay_set(min_delay=0.5, max_delay=10)
    return client


def _writer_main(db_url: str, registry: Path | None, pipe) -> None:
    """The writer process: batches in, (stored, counts) out."""
    from fleet.apply import Applier
    from fleet.models import make_engine
    from fleet.registry import Registry

    applier = Applier(make_engine(db_url), Registry(registry) if registry else None)
    pipe.send("ready")
    while True:
        try:
            batch = pipe.recv()
        except EOFError:  # the console died (kill -9): nothing left to store for
            return
        if batch is None:
            break
        attempt = 0
        while True:  # a bad message is quarantined inside apply(); this is the database
            try:
                stored = applier.apply(batch)
                break
            except Exception:  # away or locked: wait for it, never drop what was acked
                attempt += 1
                log.exception("storing a batch failed (attempt %d)", attempt)
                time.sleep(min(0.5 * attempt, 5))
        pipe.send((stored, dict(applier.counts)))
    pipe.send(None)


class Ingest:
    def __init__(self, broker: BrokerSettings, db_url: str, registry: Path | None = None):
        self.broker = broker
        self.db_url = db_url
        self.received = 0
        self.stored = 0
        self.counts: dict[str, int] = {}  # what this process stored, by kind
        self.connected = threading.Event()
        self.subscribed = threading.Event()
        self.writer_ready = threading.Event()
        self._buf: list[tuple[str, bytes]] = []  # paho appends, the batcher swaps it out
        self._buf_lock = threading.Lock()
        self._stop = threading.Event()
        self._pipe, child = multiprocessing.Pipe()
        self._writer = multiprocessing.get_context("spawn").Process(
            target=_writer_main, args=(db_url, registry, child), name="fleet-writer", daemon=True)
        self._threads = [threading.Thread(target=self._batch_loop, name="ingest-batcher",
                                          daemon=True),
                         threading.Thread(target=self._ack_loop, name="ingest-acks",
                                          daemon=True)]
        self.client_id = console_client_id(broker.client_id)
        self.client = mqtt_client(broker, self.client_id)
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
        with self._buf_lock:
            self._buf.append((msg.topic, msg.payload))

    def _batch_loop(self) -> None:
        # Every BATCH_WAIT_S, whatever arrived goes to the writer in one piece: no
        # per-message hand-over between threads.
        while True:
            stopping = self._stop.wait(BATCH_WAIT_S)
            with self._buf_lock:
                batch, self._buf = self._buf, []
            for i in range(0, len(batch), BATCH):
                self._pipe.send(batch[i:i + BATCH])
            if stopping:
                break
        self._pipe.send(None)

    def _ack_loop(self) -> None:
        while (ack := self._pipe.recv()) is not None:
            if ack == "ready":
                self.writer_ready.set()
                continue
            stored, counts = ack
            self.stored += stored  # quarantined ones are in counts["quarantined"]
            self.counts = counts

    def start(self, connect: bool = True) -> None:
        self._writer.start()
        for thread in self._threads:
            thread.start()
        if connect:
            self.connect()

    def connect(self) -> None:
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 24 * 3600  # queued at the broker while we restart
        props.ReceiveMaximum = 1000  # QoS 1 in flight towards us: throughput, not latency
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=30,
                                  clean_start=False, properties=props)
        self.client.loop_start()

    def publish(self, topic: str, payload: bytes) -> mqtt.MQTTMessageInfo:
        return self.client.publish(topic, payload, qos=1)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=15)
        self._writer.join(timeout=5)
        if self._writer.is_alive():
            self._writer.kill()
