"""``python -m fleet.loadgen --terminals N``: N simulated terminals against any broker.

Each terminal is a real MQTT connection with its own Last Will, speaking contract v1
(births, retained health, alarms, statistics, deaths), all driven by one selector
loop per process (paho's external-loop API), so 10,000 fit on a small machine.

    python -m fleet.loadgen --terminals 200 --port 1883 --duration 600
    python -m fleet.loadgen --terminals 10000 --procs 2 --heartbeat 300

Over TLS with the shipped ACL, each terminal logs in as its own id with --password
(provision those logins first). Prints "connected N" once all are up.
"""

from __future__ import annotations

import argparse
import ctypes
import heapq
import multiprocessing
import random
import resource
import selectors
import signal
import ssl
import sys
import time
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.reasoncodes import ReasonCode

from common import contract as c
from kiosk.fleet.health import DeviceView, Snapshot, alarms_for, health_body

PR_SET_PDEATHSIG = 1
READ_WRITE = selectors.EVENT_READ | selectors.EVENT_WRITE
# Services as the kiosk's journal names them, about as often as citizens use them.
SERVICES = ("ss.insurance_status", "ss.insurance_status", "ss.certificate", "hf.account",
            "hf.certificate", "traffic.licence", "traffic.violations_by_plate", "case.progress")


class SimTerminal:
    """One terminal: its state and its connection."""

    def __init__(self, tid: str, site: str, args: argparse.Namespace, rng: random.Random):
        self.tid, self.site, self.args, self.rng = tid, site, args, rng
        self.base = c.base_topic("kiosk/v1", site, tid)
        self.bdseq, self.seq, self.stream = 0, 0, f"sim{rng.getrandbits(32):08x}"
        self.devices = {"idcard": DeviceView("online"), "printer": DeviceView("online", paper="ok")}
        self.alarms: dict[str, dict[str, str]] = {}
        self.sensor = tid[-1:].isdigit() and int(tid[-1]) % 2 == 1  # half have a thermal sensor
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"sim-{tid}",
                                  protocol=mqtt.MQTTv5)
        if args.password:
            self.client.username_pw_set(tid, args.password)
        if args.ca_file:
            self.client.tls_set(ca_certs=args.ca_file, cert_reqs=ssl.CERT_REQUIRED)
        self.client.on_connect = self._on_connect
        self.connected = False

    def _state(self, state: str, **extra: Any) -> bytes:
        return c.dumps({"state": state, "bdseq": self.bdseq, "ts": round(time.time(), 3),
                        "version": "0.1.0-sim", "hb": self.args.heartbeat, **extra})

    def connect(self) -> None:
        self.bdseq += 1
        self.client.will_set(f"{self.base}/state", self._state("offline", reason="lost"), 1, True)
        self.client.connect(self.args.host, self.args.port, keepalive=self.args.keepalive)

    def _on_connect(self, client, _u, _f, rc, _p) -> None:
        if rc.is_failure:
            print(f"loadgen: {self.tid} refused: {rc}", file=sys.stderr)
            return
        first = not self.connected and self.seq == 0
        self.connected = True
        client.publish(f"{self.base}/state", self._state("online"), 1, True)
        self.health()
        for day in range(self.args.backfill_days if first else 0):  # statistics of past days
            for _ in range(self.rng.randint(2, 12)):
                self.txn(time.time() - day * 86400 - self.rng.uniform(0, 36000))

    def die(self) -> None:
        """Drop off abruptly: MQTT 5 "disconnect with Will" makes the broker send the death."""
        self.connected = False
        self.client.disconnect(reasoncode=ReasonCode(PacketTypes.DISCONNECT, identifier=4))

    def revive(self) -> None:
        self.connect()  # a new session: bdseq + 1, a new Will

    def health(self) -> None:
        snap = Snapshot(devices=dict(self.devices), screen="attract")
        sysvals = {"cpu": self.rng.randint(2, 30), "mem": self.rng.randint(30, 60),
                   "disk": 40, "uptime": int(time.monotonic())}
        if self.sensor:
            sysvals["temp"] = round(self.rng.uniform(38, 55), 1)
        alarms = alarms_for(snap, sysvals)
        now = round(time.time(), 3)
        for key in sorted(set(self.alarms) - set(alarms)):
            self.outbox("event", {"ts": now, "alarm": key, "on": False})
        for key, alarm in sorted(alarms.items()):
            if self.alarms.get(key) != alarm:
                self.outbox("event", {"ts": now, "alarm": key, "on": True, **alarm})
        self.alarms = alarms
        body = health_body(snap, sysvals, alarms, ts=now, bdseq=self.bdseq,
                           version="0.1.0-sim", config="sim")
        self.client.publish(f"{self.base}/health", c.dumps(body), 1, True)

    def outbox(self, leaf: str, body: dict[str, Any]) -> None:
        self.seq += 1
        self.client.publish(f"{self.base}/{leaf}",
                            c.dumps({**body, "stream": self.stream, "seq": self.seq}), 1)

    def txn(self, ts: float | None = None) -> None:
        """A citizen served: the journal rows a kiosk's feed sends (a use, often a rating)."""
        service, ts = self.rng.choice(SERVICES), round(ts or time.time(), 3)
        outcome = "ok" if self.rng.random() < 0.95 else self.rng.choice(["unavailable",
                                                                         "timeout"])
        self.outbox("txn", {"ts": ts, "kind": "use", "service": service, "outcome": outcome,
                            "duration_s": round(self.rng.uniform(0.3, 6), 1)})
        if self.rng.random() < 0.8:
            self.outbox("txn", {"ts": ts + 20, "kind": "rating", "service": service,
                                "outcome": "rated",
                                "rating": self.rng.choice([5, 5, 5, 4, 4, 3, 2])})

    def fault(self) -> None:
        """Paper runs low, then out, then is refilled; now and then a reader drops out."""
        p = self.devices["printer"]
        if p.detail == "":
            self.devices["printer"] = DeviceView("online", "paper near end", "clear",
                                                 detail_zh="打印纸即将用完", paper="low")
        elif p.detail == "paper near end":
            self.devices["printer"] = DeviceView("user_error", "paper out", "clear", usable=False,
                                                 detail_zh="打印纸用完", paper="out")
        else:
            self.devices["printer"] = DeviceView("online", paper="ok")
        if self.rng.random() < 0.1:
            down = self.devices["idcard"].usable
            self.devices["idcard"] = (DeviceView("offline", "no answer", "maintenance", False,
                                                 detail_zh="无应答")
                                      if down else DeviceView("online"))
        self.health()


def run(args: argparse.Namespace, first: int, count: int, seed: int) -> None:
    if multiprocessing.parent_process() is not None:  # a worker dies with its parent (Linux)
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    stopping = []  # SIGTERM / Ctrl-C: end cleanly, every terminal says offline
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_a: stopping.append(1))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 256)), hard))
    rng = random.Random(seed)
    sel = selectors.DefaultSelector()
    terms: list[SimTerminal] = []
    for i in range(first, first + count):
        t = SimTerminal(f"{args.prefix}{i:05d}", f"site-{i % args.sites:03d}", args, rng)
        cl = t.client
        cl.on_socket_open = lambda _c, _u, sock, t=t: sel.register(sock, selectors.EVENT_READ, t)
        cl.on_socket_close = lambda _c, _u, sock: sel.unregister(sock)
        cl.on_socket_register_write = (
            lambda _c, _u, sock, t=t: sel.modify(sock, READ_WRITE, t))
        cl.on_socket_unregister_write = (
            lambda _c, _u, sock, t=t: sel.modify(sock, selectors.EVENT_READ, t))
        terms.append(t)
    now = time.monotonic()
    plan: list[tuple[float, int, str]] = []
    for n, t in enumerate(terms):
        t.connect()
        heapq.heappush(plan, (now + rng.uniform(0, args.heartbeat), n, "health"))
        if args.txn_every:
            heapq.heappush(plan, (now + rng.expovariate(1 / args.txn_every), n, "txn"))
        if args.fault_every:
            heapq.heappush(plan, (now + rng.expovariate(1 / args.fault_every), n, "fault"))
        if args.death_every:
            heapq.heappush(plan, (now + rng.expovariate(1 / args.death_every), n, "die"))
        if n % 200 == 199:
            _pump(sel, 0)
    reported = False
    deadline = now + args.duration if args.duration else float("inf")
    last_misc = 0.0
    while time.monotonic() < deadline and not stopping:
        _pump(sel, 0.02)
        if not reported and all(t.connected for t in terms):
            print(f"connected {count}", flush=True)
            reported = True
        now = time.monotonic()
        while plan and plan[0][0] <= now:
            _due, n, what = heapq.heappop(plan)
            t = terms[n]
            if what == "revive":
                t.revive()
                continue
            if t.connected:
                getattr(t, what)()
                if what == "die":
                    heapq.heappush(plan, (now + rng.uniform(0.5, 1.5) * args.down_for, n,
                                          "revive"))
            every = {"health": args.heartbeat, "txn": args.txn_every,
                     "fault": args.fault_every, "die": args.death_every}
            gap = every[what] if what == "health" else rng.expovariate(1 / every[what])
            heapq.heappush(plan, (now + gap, n, what))
        if now - last_misc >= 1:
            last_misc = now
            for t in terms:
                t.client.loop_misc()  # keepalive pings
    for t in terms:  # a clean end: each says offline itself
        t.client.publish(f"{t.base}/state", t._state("offline", reason="shutdown"), 1, True)
        t.client.disconnect()
    _pump(sel, 0.5)


def _pump(sel: selectors.BaseSelector, timeout: float) -> None:
    for key, mask in sel.select(timeout):
        t = key.data
        if mask & selectors.EVENT_READ:
            t.client.loop_read()
        if mask & selectors.EVENT_WRITE:
            t.client.loop_write()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m fleet.loadgen", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--terminals", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=1883)
    p.add_argument("--ca-file", help="TLS with this CA")
    p.add_argument("--password", help="each terminal logs in as its id with this password")
    p.add_argument("--prefix", default="SIM-")
    p.add_argument("--sites", type=int, default=20)
    p.add_argument("--heartbeat", type=float, default=300, help="seconds between health")
    p.add_argument("--txn-every", type=float, default=600, help="mean seconds between services")
    p.add_argument("--fault-every", type=float, default=3600, help="mean seconds between faults")
    p.add_argument("--death-every", type=float, default=0,
                   help="mean seconds between a terminal dropping off (its Will); 0 = never")
    p.add_argument("--down-for", type=float, default=30, help="mean seconds it stays away")
    p.add_argument("--keepalive", type=int, default=120)
    p.add_argument("--backfill-days", type=int, default=0, help="statistics of past days first")
    p.add_argument("--duration", type=float, default=0, help="seconds; 0 = until stopped")
    p.add_argument("--procs", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    share = -(-args.terminals // args.procs)
    if args.procs == 1:
        run(args, 0, args.terminals, args.seed)
        return 0
    procs = [multiprocessing.Process(target=run, args=(args, i * share,
                                                        min(share, args.terminals - i * share),
                                                        args.seed + i))
             for i in range(args.procs) if i * share < args.terminals]
    for proc in procs:
        proc.start()
    # SIGTERM / Ctrl-C here: pass it on, then wait for the workers' clean ends.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_a: [proc.terminate() for proc in procs])
    for proc in procs:
        proc.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
