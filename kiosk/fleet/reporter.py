"""The kiosk's MQTT link to the fleet console (contract v1, docs/fleet-contract.md).

- birth on every connect, death as the Last Will, both carrying ``bdseq`` (a
  session counter persisted on disk, +1 per connect) so the console can tell a
  late death from a fresh birth; a clean stop publishes the death itself.
- the retained health state, published when something significant changes and
  otherwise once per ``heartbeat_s`` (report by exception, not a fast stream).
- alarms, statistics (the journal's rows, kiosk/fleet/feed.py) and command results
  through the on-disk outbox, delivered in order once the broker has them (QoS 1
  PUBACK), whatever happens in between.
- commands on ``<base>/cmd``, run on this module's own thread (paho's network thread
  never blocks).

Nothing here may stop the kiosk: the broker being down only fills the outbox.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt

from common import contract as c
from kiosk.fleet.commands import CommandHandler
from kiosk.fleet.feed import JournalFeed
from kiosk.fleet.health import Snapshot, alarms_for, health_body, significant
from kiosk.fleet.store import TerminalStore
from kiosk.fleet.sysinfo import SysInfo

log = logging.getLogger(__name__)
# What a maintenance engineer reading the log needs to know about a broker's reason code.
DISCONNECT_HINTS = {
    142: ": another client connected with this terminal's client id",
    137: ": the broker is restarting or shutting down",
    141: ": no keepalive reached the broker in time (network)",
    135: ": the broker no longer accepts this terminal's login",
    149: ": a message was larger than the broker accepts",
}
CLONE_HINT = ("the broker keeps dropping this terminal right after it connects: another "
              "client may be using its login and client id (a cloned terminal?)")


class DropWatch:
    """Drops right after connecting, again and again: most often a second client with
    this terminal's client id, each connection kicking the other off. mosquitto 2.0
    sends a v5 client no reason code for it, so it is inferred; said once."""

    def __init__(self, short_s: float = 5.0, count: int = 3, window_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._short_s, self._count, self._window_s, self._clock = short_s, count, window_s, clock
        self._since: float | None = None
        self._drops: list[float] = []
        self.said = False

    def connected(self) -> None:
        self._since = self._clock()

    def dropped(self) -> bool:
        """True the first time the drops add up to a pattern."""
        now, since, self._since = self._clock(), self._since, None
        if since is None or now - since > self._short_s:
            return False
        self._drops = [t for t in self._drops if now - t < self._window_s] + [now]
        if len(self._drops) >= self._count and not self.said:
            self.said = True
            return True
        return False
WINDOW = 20  # outbox messages in flight at once
CHECK_S = 1.0  # how often the state is looked at without being poked (cheap: /proc)


class FleetReporter:
    def __init__(
        self,
        broker: Any,  # kiosk.config.BrokerConfig
        site: str,
        terminal_id: str,
        version: str,
        store: TerminalStore,
        snapshot: Callable[[], Snapshot],
        config_hash: str = "",
        sysinfo: SysInfo | None = None,
    ):
        self._broker = broker
        self.terminal_id = terminal_id
        self._version = version
        self.store = store
        self._snapshot = snapshot
        self.config_hash = config_hash
        self._sys = sysinfo or SysInfo()
        self.base = c.base_topic(broker.topic_prefix, site, terminal_id)
        self.bdseq = -1
        self.commands: CommandHandler | None = None  # set by the app once it is built
        self.feed: JournalFeed | None = None  # the journal's rows → txn (set by the app)
        self.connected = threading.Event()
        self.listening = threading.Event()  # subscribed to our commands (SUBACK came)
        self._stop = threading.Event()
        self._drops = DropWatch()
        self._poke = threading.Event()
        self._lock = threading.Lock()
        self._inflight: dict[int, int] = {}  # paho mid → outbox seq
        self._sent_upto = 0
        self._last_sig: tuple | None = None
        self._last_health = 0.0
        self._force_health = False
        self._alarms: dict[str, dict[str, str]] = store.get("alarms", {})
        self._cmds: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=100)
        self._threads: list[threading.Thread] = []
        self.client = self._make_client()

    def topic(self, leaf: str) -> str:
        return f"{self.base}/{leaf}"

    def _make_client(self) -> mqtt.Client:
        b = self._broker
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"kiosk-{self.terminal_id}",
            protocol=mqtt.MQTTv5,
        )
        if b.username:
            client.username_pw_set(b.username, b.password or None)
        if b.tls:
            client.tls_set(ca_certs=str(b.ca_file) if b.ca_file else None,
                           cert_reqs=ssl.CERT_REQUIRED)
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        client.on_pre_connect = self._on_pre_connect
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_publish = self._on_publish
        client.on_message = self._on_message
        client.on_subscribe = lambda *_a: self.listening.set()
        return client

    # -- birth and death ---------------------------------------------------------
    def _state(self, state: str, **extra: Any) -> bytes:
        return c.dumps({"state": state, "bdseq": self.bdseq, "ts": round(time.time(), 3),
                        "version": self._version, "hb": self._broker.heartbeat_s, **extra})

    def _on_pre_connect(self, client: mqtt.Client, _userdata: Any) -> None:
        # A new session number for every connection, registered in the Will first.
        self.bdseq = self.store.next_bdseq()
        client.will_set(self.topic(c.STATE), self._state("offline", reason="lost"),
                        qos=1, retain=True)

    def _on_connect(self, client, _userdata, _flags, reason_code, _props) -> None:
        if reason_code.is_failure:
            log.warning("broker refused the connection: %s", reason_code)
            return
        log.info("connected to the fleet broker (bdseq %d)", self.bdseq)
        self._drops.connected()
        client.publish(self.topic(c.STATE), self._state("online"), qos=1, retain=True)
        client.subscribe([(self.topic(c.CMD), 1), (self.topic(c.STATE), 1)])
        with self._lock:
            self._inflight.clear()
            self._sent_upto = 0  # resend everything not acknowledged, in order
        self._force_health = True
        self.connected.set()
        self._poke.set()

    def _on_disconnect(self, _client, _userdata, _flags, reason_code, _props) -> None:
        self.connected.clear()
        self.listening.clear()
        if not self._stop.is_set():
            why = DISCONNECT_HINTS.get(getattr(reason_code, "value", None), "")
            log.warning("lost the fleet broker (%s%s); reconnecting", reason_code, why)
            if self._drops.dropped():
                log.warning(CLONE_HINT)

    def _on_message(self, _client, _userdata, msg: mqtt.MQTTMessage) -> None:
        if msg.topic == self.topic(c.STATE):
            self._check_own_state(msg.payload)
            return
        try:
            body = json.loads(msg.payload)
            self._cmds.put_nowait(body if isinstance(body, dict) else {})
        except (ValueError, queue.Full):
            log.warning("dropped a malformed or excess command")

    def _check_own_state(self, payload: bytes) -> None:
        """A death from an older session retained over our birth: say we live."""
        with contextlib.suppress(ValueError, AttributeError):
            body = json.loads(payload)
            if body.get("state") == "offline" and self.connected.is_set() \
                    and body.get("bdseq", -1) < self.bdseq:
                log.info("stale death (bdseq %s) over our birth: publishing birth again",
                         body.get("bdseq"))
                self.client.publish(self.topic(c.STATE), self._state("online"), qos=1,
                                    retain=True)

    # -- outbox -----------------------------------------------------------------
    def enqueue(self, leaf: str, body: dict[str, Any]) -> int:
        """Persist an event / statistic / result; it leaves when the broker takes it."""
        seq = self.store.enqueue(leaf, {**body, "stream": self.store.stream})
        self._poke.set()
        return seq

    def _on_publish(self, _client, _userdata, mid: int, _rc, _props) -> None:
        with self._lock:
            seq = self._inflight.pop(mid, None)
        if seq is not None:
            self.store.delivered(seq)
            self._poke.set()

    def _drain(self) -> None:
        with self._lock:
            room = WINDOW - len(self._inflight)
            after = self._sent_upto
        if room <= 0 or not self.connected.is_set():
            return
        for seq, leaf, body in self.store.pending(after, room):
            info = self.client.publish(self.topic(leaf), c.dumps({**body, "seq": seq}), qos=1)
            if info.rc != mqtt.MQTT_ERR_SUCCESS:
                return  # not connected after all: resent after the next connect
            with self._lock:
                self._inflight[info.mid] = seq
                self._sent_upto = seq

    # -- health -----------------------------------------------------------------
    def rebirth(self) -> None:
        """Publish the whole state again (Sparkplug's rebirth)."""
        if self.connected.is_set():
            self.client.publish(self.topic(c.STATE), self._state("online"), qos=1, retain=True)
        self._force_health = True
        self._poke.set()

    def poke(self) -> None:
        """Something may have changed (a device, the screen): look now."""
        self._poke.set()

    def _assess(self) -> None:
        snap = self._snapshot()
        sysvals = self._sys.read()
        alarms = alarms_for(snap, sysvals)
        self._raise_and_clear(alarms)
        body = health_body(snap, sysvals, alarms, ts=round(time.time(), 3), bdseq=self.bdseq,
                           version=self._version, config=self.config_hash)
        sig = significant(body)
        due = time.monotonic() >= self._last_health + self._broker.heartbeat_s
        if (sig != self._last_sig or due or self._force_health) and self.connected.is_set():
            info = self.client.publish(self.topic(c.HEALTH), c.dumps(body), qos=1, retain=True)
            if info.rc == mqtt.MQTT_ERR_SUCCESS:
                self._last_sig, self._last_health, self._force_health = sig, time.monotonic(), False

    def _raise_and_clear(self, alarms: dict[str, dict[str, str]]) -> None:
        if alarms == self._alarms:
            return
        now = round(time.time(), 3)
        for key in sorted(set(self._alarms) - set(alarms)):
            self.enqueue(c.EVENT, {"ts": now, "alarm": key, "on": False})
        for key, alarm in sorted(alarms.items()):
            if self._alarms.get(key) != alarm:
                self.enqueue(c.EVENT, {"ts": now, "alarm": key, "on": True, **alarm})
        self._alarms = alarms
        self.store.put("alarms", alarms)  # a restart clears what was fixed meanwhile

    # -- threads ------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            # Wake for the next heartbeat on time, not up to CHECK_S late.
            until_due = self._last_health + self._broker.heartbeat_s - time.monotonic()
            if not self.connected.is_set():
                until_due = CHECK_S  # nothing can go out: don't spin
            self._poke.wait(max(0.0, min(CHECK_S, until_due)))
            self._poke.clear()
            if self._stop.is_set():
                return
            try:
                self._assess()
                if self.feed is not None and self.feed.forward():
                    self._poke.set()  # there may be more: look again at once
                self._drain()
            except Exception:  # the reporter must outlive any bug in a snapshot
                log.exception("fleet reporter step failed")

    def _run_commands(self) -> None:
        while not self._stop.is_set():
            try:
                body = self._cmds.get(timeout=1)
            except queue.Empty:
                continue
            if self.commands is None:
                continue
            result = self.commands.handle(body)
            self.enqueue(c.RESULT, result)
            self._poke.set()

    def send_screenshot(self, png: bytes) -> None:
        self.client.publish(self.topic(c.SCREENSHOT), png, qos=1)

    def start(self) -> None:
        """Connect in the background: a broker that is down never delays the kiosk."""
        self.client.connect_async(self._broker.host, self._broker.port, keepalive=30)
        self.client.loop_start()
        for target, name in ((self._run, "fleet-reporter"), (self._run_commands, "fleet-commands")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def wait_delivered(self, timeout: float) -> bool:
        """Wait until the outbox is empty (e.g. a reboot's answer has left)."""
        deadline = time.monotonic() + timeout
        while self.store.backlog() and time.monotonic() < deadline:
            self._poke.set()
            time.sleep(0.05)
        return self.store.backlog() == 0

    def stop(self) -> None:
        """A clean shutdown: say "offline" ourselves (a clean disconnect fires no Will)."""
        self._stop.set()
        self._poke.set()
        for thread in self._threads:
            thread.join(timeout=2)
        if self.connected.is_set():
            info = self.client.publish(self.topic(c.STATE),
                                       self._state("offline", reason="shutdown"),
                                       qos=1, retain=True)
            with contextlib.suppress(RuntimeError, ValueError):
                info.wait_for_publish(timeout=2)
        self.client.disconnect()
        self.client.loop_stop()
