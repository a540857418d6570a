"""10,000 simulated terminals on this machine: is the board keeping up?

    .venv/bin/python -m bench.fleet_scale [--terminals 10000] [--probes 20]

A real mosquitto, the console (`python -m fleet`, SQLite) and the load generator
(`python -m fleet.loadgen`, each terminal its own MQTT connection with its own
Will, default rates: health every 300 s, a citizen every 600 s, a fault every
hour) all run here. Once the board holds every terminal, a probe terminal changes
its light once a second; a browser-like client follows the board's live stream
(/api/stream, server-sent events) and the lag is the time from the probe's publish
to the event that shows the new light. Baseline: the probe's own round trip
through the same broker to a bare subscriber, measured alongside.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import paho.mqtt.client as mqtt

from bench.fleet_common import Mosquitto, env_with_repo, free_port
from common.contract import dumps
from fleet.auth import add_user
from fleet.models import make_engine

REPO = Path(__file__).resolve().parents[1]
PROBE = "PROBE-0001"
BASE = f"kiosk/v1/probe-site/{PROBE}"


def follow(url: str, cookies: httpx.Cookies, seen: dict, stop: threading.Event) -> None:
    """Read the live stream; note when each probe light first shows."""
    with httpx.Client(base_url=url, cookies=cookies, timeout=None) as client, \
            client.stream("GET", "/api/stream") as resp:
        event = ""
        for line in resp.iter_lines():
            if stop.is_set():
                return
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "terminals":
                for row in json.loads(line[6:]):
                    if row["id"] == PROBE:
                        seen.setdefault(("light", row["reported"], row["version"]),
                                        time.monotonic())


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser()
    p.add_argument("--terminals", type=int, default=10_000)
    p.add_argument("--procs", type=int, default=2)
    p.add_argument("--probes", type=int, default=20)
    p.add_argument("--heartbeat", type=float, default=300, help="the simulated terminals'")
    args = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    broker = Mosquitto(tmp)
    db = f"sqlite:///{tmp / 'console.sqlite'}"
    add_user(make_engine(db), "bench", "bench-pass", "viewer")
    http_port = free_port()
    env = env_with_repo(REPO)
    console = subprocess.Popen(
        [sys.executable, "-m", "fleet", "--db", db, "--mqtt-port", str(broker.port),
         "--http-port", str(http_port), "--client-id", "bench-console"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http_port}"
    loadgen = None
    stop = threading.Event()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).json().get("subscribed"):
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "console did not start"
            time.sleep(0.2)
        client = httpx.Client(base_url=url, timeout=60, headers={"Origin": url})
        client.post("/login", data={"name": "bench", "password": "bench-pass"})
        t0 = time.monotonic()
        loadgen = subprocess.Popen(
            [sys.executable, "-m", "fleet.loadgen", "--terminals", str(args.terminals),
             "--procs", str(args.procs), "--port", str(broker.port), "--sites", "100",
             "--heartbeat", str(args.heartbeat), "--txn-every", str(2 * args.heartbeat)],
            cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
        connected = 0
        while connected < args.procs:
            line = loadgen.stdout.readline()
            assert line, "the load generator stopped"
            connected += line.startswith("connected")
        t_connected = time.monotonic() - t0
        while len(client.get("/api/board").json()["terminals"]) < args.terminals:
            assert time.monotonic() - t0 < 600, "board never held every terminal"
            time.sleep(0.5)
        t_board = time.monotonic() - t0

        seen: dict = {}
        reader = threading.Thread(target=follow, args=(url, client.cookies, seen, stop),
                                  daemon=True)
        reader.start()
        bare_seen: dict[str, float] = {}
        bare = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-bare",
                           protocol=mqtt.MQTTv5)
        ready = threading.Event()
        bare.on_connect = lambda c, *_a: c.subscribe(f"{BASE}/health", qos=1)
        bare.on_subscribe = lambda *_a: ready.set()
        bare.on_message = lambda _c, _u, m: bare_seen.setdefault(
            json.loads(m.payload)["version"], time.monotonic())
        bare.connect("127.0.0.1", broker.port)
        bare.loop_start()
        assert ready.wait(10)
        probe = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="probe",
                            protocol=mqtt.MQTTv5)
        probe.connect("127.0.0.1", broker.port)
        probe.loop_start()
        probe.publish(f"{BASE}/state", dumps({"state": "online", "bdseq": 0, "ts": time.time(),
                                              "version": "p", "hb": 300}), 1, True)
        time.sleep(2)  # the probe's row exists before we time anything
        sent: dict[str, float] = {}
        for i in range(args.probes):
            light = "yellow" if i % 2 == 0 else "green"
            tag = f"p{i}"  # carried in "version": tells each change apart
            body = {"ts": time.time(), "bdseq": 0, "light": light, "version": tag,
                    "oos": False, "paper": "ok", "devices": {}, "alarms": [], "sys": {}}
            sent[tag] = time.monotonic()
            probe.publish(f"{BASE}/health", dumps(body), 1, True)
            time.sleep(1.0)
        time.sleep(3)
        lags = [seen[("light", "yellow" if i % 2 == 0 else "green", f"p{i}")] - sent[f"p{i}"]
                for i in range(args.probes) if ("light", "yellow" if i % 2 == 0 else "green",
                                                 f"p{i}") in seen]
        bare_lags = [bare_seen[t] - sent[t] for t in sent if t in bare_seen]
        counters = client.get("/api/ingest", timeout=5).json()
    finally:
        stop.set()
        if loadgen:
            loadgen.terminate()
            loadgen.wait(timeout=30)
        console.terminate()
        console.wait(timeout=30)
        broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)  # databases, broker config
    assert len(lags) == args.probes, f"only {len(lags)} of {args.probes} changes reached the board"
    result = {
        "terminals": args.terminals, "heartbeat_s": args.heartbeat,
        "all_connected_s": round(t_connected, 1),
        "board_complete_s": round(t_board, 1),
        "board_lag_p50_s": round(statistics.median(lags), 3),
        "board_lag_max_s": round(max(lags), 3),
        "bare_subscriber_lag_max_s": round(max(bare_lags), 4),
        "console_messages_stored": counters.get("stored"),
    }
    print(f"{args.terminals:,} simulated terminals (each its own MQTT connection, health every "
          f"{args.heartbeat:.0f} s), one machine:")
    print(f"  all connected after {result['all_connected_s']} s; board holds all after "
          f"{result['board_complete_s']} s")
    print(f"  probe light change → board live stream: median {result['board_lag_p50_s']} s, "
          f"max {result['board_lag_max_s']} s over {args.probes} changes")
    print(f"  same change → bare subscriber: max {result['bare_subscriber_lag_max_s']} s")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
