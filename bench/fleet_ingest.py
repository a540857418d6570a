"""Console ingest rate against a bare paho subscriber draining the same broker.

    .venv/bin/python -m bench.fleet_ingest [--messages 60000] [--terminals 1000]

Both consumers first register a persistent session (QoS 1), go away, and the same
realistic mix (health 85 %, statistics 10 %, alarms 5 %, from ``--terminals``
terminals) is queued for each at the broker. Then each connects and drains its
queue: the bare subscriber only counts; the console (fleet.ingest.Ingest +
fleet.apply.Applier into SQLite, the code `python -m fleet` runs) parses and
stores every message. Rate = messages / time from connect to the last one counted
(bare) or stored (console). Same broker, same run, one after the other.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from sqlalchemy import func, select

from bench.fleet_common import Mosquitto
from common.contract import dumps
from fleet.ingest import BrokerSettings, Ingest
from fleet.models import Txn, make_engine
from kiosk.fleet.health import DeviceView, Snapshot, alarms_for, health_body


def workload(n: int, terminals: int, seed: int = 7) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    seqs = [0] * terminals
    out = []
    for _ in range(n):
        t = rng.randrange(terminals)
        base = f"kiosk/v1/site-{t % 50:03d}/T{t:05d}"
        r = rng.random()
        if r < 0.85:
            paper = rng.choice(["online"] * 8 + ["user_error"])
            snap = Snapshot(devices={"idcard": DeviceView("online"),
                                     "printer": DeviceView(paper, "paper out" if paper !=
                                                           "online" else "", "clear",
                                                           paper == "online")})
            sysvals = {"cpu": rng.randint(1, 40), "mem": 40, "disk": 50, "uptime": 1000}
            out.append((f"{base}/health", dumps(health_body(
                snap, sysvals, alarms_for(snap, sysvals), ts=time.time(), bdseq=1,
                version="0.1.0", config="abc"))))
            continue
        seqs[t] += 1
        common = {"ts": time.time(), "stream": f"s{t}", "seq": seqs[t]}
        if r < 0.95:
            out.append((f"{base}/txn", dumps({**common, "service": "ss_insurance",
                                              "outcome": "rated", "duration_s": 60.0,
                                              "rating": rng.randint(1, 5), "printed": True})))
        else:
            out.append((f"{base}/event", dumps({**common, "alarm": "device.printer",
                                                "on": rng.random() < 0.5,
                                                "severity": "yellow", "detail": "paper out",
                                                "action": "clear"})))
    return out


def _session_props() -> Properties:
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 3600
    props.ReceiveMaximum = 1000
    return props


def register(port: int, client_id: str, topic: str) -> None:
    """Create the persistent session and its subscription, then leave."""
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    done = threading.Event()
    c.on_connect = lambda cl, *_a: cl.subscribe(topic, qos=1)
    c.on_subscribe = lambda *_a: done.set()
    c.connect("127.0.0.1", port, clean_start=True, properties=_session_props())
    c.loop_start()
    assert done.wait(10)
    c.disconnect()
    c.loop_stop()


def publish_all(port: int, messages: list[tuple[str, bytes]]) -> None:
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-pub", protocol=mqtt.MQTTv5)
    c.max_inflight_messages_set(1000)
    c.max_queued_messages_set(0)
    c.connect("127.0.0.1", port)
    c.loop_start()
    infos = [c.publish(t, p, qos=1) for t, p in messages]
    for info in infos:
        info.wait_for_publish(60)
    c.disconnect()
    c.loop_stop()


def bare_drain(port: int, n: int) -> float:
    got = [0]
    done = threading.Event()

    def on_message(*_a) -> None:
        got[0] += 1
        if got[0] >= n:
            done.set()

    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-bare",
                    protocol=mqtt.MQTTv5)
    c.on_message = on_message
    start = time.perf_counter()
    c.connect("127.0.0.1", port, clean_start=False, properties=_session_props())
    c.loop_start()
    assert done.wait(300), f"bare subscriber got {got[0]} of {n}"
    took = time.perf_counter() - start
    c.disconnect()
    c.loop_stop()
    return took


def console_drain(port: int, n: int, folder: Path) -> tuple[float, int]:
    url = f"sqlite:///{folder / 'console.sqlite'}"
    engine = make_engine(url)
    ingest = Ingest(BrokerSettings(port=port, group="", client_id="bench-console"), url)
    ingest.start(connect=False)  # the writer process up first, as in a running console
    assert ingest.writer_ready.wait(30), "the writer process did not start"
    start = time.perf_counter()
    ingest.connect()
    deadline = start + 300
    while ingest.stored < n:
        assert time.perf_counter() < deadline, f"console stored {ingest.stored} of {n}"
        time.sleep(0.005)
    took = time.perf_counter() - start
    ingest.stop()
    with engine.connect() as conn:
        txns = conn.execute(select(func.count()).select_from(Txn)).scalar()
    return took, txns


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=60_000)
    parser.add_argument("--terminals", type=int, default=1000)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    broker = Mosquitto(tmp)
    try:
        messages = workload(args.messages, args.terminals)
        register(broker.port, "bench-bare", "kiosk/v1/#")
        register(broker.port, "console.bench-console", "kiosk/v1/#")
        publish_all(broker.port, messages)  # queued for both sessions
        bare_s = bare_drain(broker.port, len(messages))
        console_s, txns = console_drain(broker.port, len(messages), tmp)
    finally:
        broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)  # databases, broker config
    expected_txns = sum(1 for t, _p in messages if t.endswith("/txn"))
    assert txns == expected_txns, f"stored {txns} statistics records of {expected_txns}"
    n = len(messages)
    result = {"messages": n, "terminals": args.terminals,
              "bare_msgs_per_s": round(n / bare_s), "console_msgs_per_s": round(n / console_s),
              "console_over_bare": round(bare_s / console_s, 2)}
    print(f"ingest, {n:,} queued messages from {args.terminals:,} terminals, same broker:")
    print(f"  bare paho subscriber (count only): {result['bare_msgs_per_s']:>8,} msg/s")
    print(f"  console ingest (parse + SQLite):   {result['console_msgs_per_s']:>8,} msg/s")
    print(f"  console / bare:                    {result['console_over_bare']}")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
