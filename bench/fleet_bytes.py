"""Health bytes per terminal per day: the real reporter against a naive one.

    .venv/bin/python -m bench.fleet_bytes [--speedup 2000]

One simulated day, compressed ``speedup`` times, on a real mosquitto. Both
terminals live through the same day: 120 citizens served (each a status query,
a printed certificate and a rating: three journal rows, so three statistics
records, screens changing), the paper running low, out and refilled, the ID card
reader dropping out for a while. The real one is kiosk/fleet/reporter.py with its
default 300 s heartbeat (report by exception); the naive one publishes its full
health JSON every 10 s, plus the same statistics records. A subscriber on the same
broker sees every message of both; bytes are MQTT 5 PUBLISH on the wire (+PUBACK
at QoS 1), plus the real reporter's keepalive pings as an upper bound (a naive
10 s stream needs none). TLS adds the same per-record cost to both and is left out.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt

from bench.fleet_common import Mosquitto, publish_wire_bytes
from common.contract import dumps
from kiosk.config import BrokerConfig
from kiosk.fleet import reporter as reporter_mod
from kiosk.fleet.feed import JournalFeed, txn_body
from kiosk.fleet.health import DeviceView, Snapshot, alarms_for, health_body
from kiosk.fleet.reporter import FleetReporter
from kiosk.fleet.store import TerminalStore
from kiosk.fleet.sysinfo import SysInfo
from kiosk.journal import Journal

DAY_S = 86_400
SESSIONS = 120
KEEPALIVE_S = 30
QOS = {"real": {}, "naive": {"health": 0}}  # naive: a fast stream at QoS 0 (cheapest case)


def scenario(speedup: float) -> list[tuple[float, str]]:
    """(day second, what) for one day at a 24-hour self-service point."""
    events = [(DAY_S * (i + 0.5) / SESSIONS, "session") for i in range(SESSIONS)]
    events += [(DAY_S * 0.40, "paper_low"), (DAY_S * 0.60, "paper_out"),
               (DAY_S * 0.62, "paper_ok"), (DAY_S * 0.80, "idcard_down"),
               (DAY_S * 0.81, "idcard_up")]
    return sorted(events)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--speedup", type=float, default=2000)
    args = parser.parse_args(argv)
    f = args.speedup
    tmp = Path(tempfile.mkdtemp(prefix="bench-bytes-"))
    broker = Mosquitto(tmp)
    wire = {"real": 0, "naive": 0}
    counts = {"real": 0, "naive": 0}
    lock = threading.Lock()

    def on_message(_c, _u, msg: mqtt.MQTTMessage) -> None:
        who = "real" if "/REAL/" in msg.topic else "naive"
        leaf = msg.topic.rsplit("/", 1)[-1]
        qos = QOS[who].get(leaf, 1)
        with lock:
            wire[who] += publish_wire_bytes(msg.topic, len(msg.payload), qos)
            counts[who] += 1

    sub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-counter",
                      protocol=mqtt.MQTTv5)
    ready = threading.Event()
    sub.on_connect = lambda c, *_a: c.subscribe("kiosk/v1/#", qos=1)
    sub.on_subscribe = lambda *_a: ready.set()
    sub.on_message = on_message
    sub.connect("127.0.0.1", broker.port)
    sub.loop_start()
    assert ready.wait(10)

    snap = Snapshot(devices={"idcard": DeviceView("online"),
                             "printer": DeviceView("online", paper="ok")}, screen="attract")
    heartbeat = 300 / f
    reporter_mod.CHECK_S = heartbeat / 4  # the 1 s look, compressed like everything else
    cfg = BrokerConfig(host="127.0.0.1", port=broker.port, heartbeat_s=heartbeat)
    real = FleetReporter(cfg, "bench", "REAL", "0.1.0", TerminalStore(tmp / "real.sqlite"),
                         lambda: snap)
    naive = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="naive",
                        protocol=mqtt.MQTTv5)
    naive.connect("127.0.0.1", broker.port)
    naive.loop_start()
    sysinfo = SysInfo()
    journal = Journal(tmp / "journal.sqlite")  # the real kiosk's one record
    real.feed = JournalFeed(journal, real.store)
    journal.written.subscribe(lambda _kind: real.poke())
    read_upto = {"use": 0, "rating": 0, "visit": 0}  # the naive reporter sends the same rows itself
    real.start()
    assert real.connected.wait(10)

    start = time.monotonic()
    plan = scenario(f)
    next_naive = 0.0
    while plan or time.monotonic() - start < DAY_S / f:
        day_s = (time.monotonic() - start) * f
        if day_s >= DAY_S:
            break
        while plan and plan[0][0] <= day_s:
            _t, what = plan.pop(0)
            if what == "session":
                snap.in_session, snap.screen = True, "home"  # rides along, no message
                ref = f"{int(day_s):016x}"
                journal.record(ref, "ss.insurance_status", "ok", 0.8)
                journal.record(ref, "ss.certificate", "ok", 2.3)
                journal.rate(ref, "ss.certificate", 5, [])
                journal.visit(ref, "ss.certificate", "rated", 41.0, printed=True)
                for row in journal.rows_after(read_upto):
                    read_upto[row.kind] = row.id
                    naive.publish("kiosk/v1/bench/NAIVE/txn",
                                  dumps({**txn_body(row), "stream": "naive", "seq": 1}), qos=1)
                snap.in_session, snap.screen = False, "attract"
            else:
                device, state = {
                    "paper_low": ("printer", DeviceView("online", "paper near end", "clear",
                                                       paper="low")),
                    "paper_out": ("printer", DeviceView("user_error", "paper out", "clear",
                                                        usable=False, paper="out")),
                    "paper_ok": ("printer", DeviceView("online", paper="ok")),
                    "idcard_down": ("idcard", DeviceView("offline", "no answer", "maintenance",
                                                         usable=False)),
                    "idcard_up": ("idcard", DeviceView("online")),
                }[what]
                snap.devices[device] = state
                real.poke()
        if day_s >= next_naive:  # the naive reporter: everything, every 10 s
            sysvals = sysinfo.read()
            body = health_body(snap, sysvals, alarms_for(snap, sysvals), ts=time.time(),
                               bdseq=0, version="0.1.0", config="3f2a9c01be7d")
            naive.publish("kiosk/v1/bench/NAIVE/health", dumps(body), qos=0)
            next_naive += 10
        time.sleep(min(0.002, max(0.0, (next_naive / f) - (time.monotonic() - start))))
    real.wait_delivered(5)
    real.stop()
    naive.disconnect()
    naive.loop_stop()
    time.sleep(0.5)  # let the subscriber see the last messages
    sub.loop_stop()
    broker.stop()
    shutil.rmtree(tmp, ignore_errors=True)  # databases, broker config
    pings = (DAY_S // KEEPALIVE_S) * 4  # PINGREQ + PINGRESP, 2 bytes each: upper bound
    result = {
        "speedup": f, "real_messages": counts["real"], "naive_messages": counts["naive"],
        "real_bytes_per_day": wire["real"] + pings, "real_keepalive_bytes": pings,
        "naive_bytes_per_day": wire["naive"],
        "ratio_naive_over_real": round(wire["naive"] / (wire["real"] + pings), 1),
    }
    print("health bytes per terminal per day (one simulated day, "
          f"{f:.0f}x compressed, MQTT 5 on the wire):")
    print(f"  naive, full JSON every 10 s: {result['naive_bytes_per_day']:>9,} B "
          f"({counts['naive']} messages)")
    print(f"  real, by exception + 300 s:  {result['real_bytes_per_day']:>9,} B "
          f"({counts['real']} messages + keepalive {pings:,} B)")
    print(f"  naive / real:                {result['ratio_naive_over_real']}x")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
