"""The units under real systemd: a Debian root booted with systemd-nspawn.

One boot for the whole module, steps in order: the units verify, the UI reaches
READY and pings, a frozen main loop is killed by the watchdog and restarted, the
agent survives a kill -9 (its Last Will reaches the broker) without touching the
UI, a crash loop stops at the start limit and brings up the out-of-service screen,
the agent restarts the UI on a signed command, and reboots the machine. The agent's
reports go to a real mosquitto on the host with the shipped TLS, logins and ACL.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image

from common.command_signing import sign_command
from tests.helpers.broker import SecureBroker
from tests.helpers.mqtt import Collector
from tests.helpers.nspawn import debian_root, missing_tools
from tests.helpers.nspawn_machine import Machine
from tests.systemd.unitfile import SHIPPED

TERMINAL, SITE = "NSP-0001", "test-hall"
BASE = f"kiosk/v1/{SITE}/{TERMINAL}"
ID_NUMBER = "110101199003071234"  # must never leave the terminal in a report
CONFIG = """\
[terminal]
id = "{id}"
site = "{site}"
site_name = "测试大厅"
language = "zh"
service_hours = "08:00-20:00"
[devices.idcard]
port = "/dev/kiosk/idcard"
[devices.printer]
port = "/dev/kiosk/printer"
[backend]
url = "http://127.0.0.1:9"
app_key = "kiosk-test"
app_secret = "secret-for-tests"
[broker]
host = "127.0.0.1"
port = {port}
heartbeat_s = 30
tls = true
ca_file = "/etc/kiosk/fleet-ca.crt"
username = "{id}"
password = "{password}"
[fleet]
command_key = "{key}"
[voice]
enabled = false
[paths]
data_dir = "/var/lib/kiosk"
"""

pytestmark = [pytest.mark.skipif(os.geteuid() != 0, reason="systemd-nspawn needs root"),
              pytest.mark.timeout(900)]  # the first run builds the root (about 140 s)


@pytest.fixture(scope="module")
def t(tmp_path_factory):
    missing = missing_tools()
    if missing:
        pytest.fail(f"missing {missing}: apt-get install debootstrap systemd-container "
                    "(make setup does)")
    timings: dict[str, float] = {}
    started = time.monotonic()
    root = debian_root()
    timings["root (cached or built)"] = time.monotonic() - started
    work = tmp_path_factory.mktemp("nspawn")
    broker = SecureBroker(work / "broker")
    creds = broker.add_terminal(TERMINAL)
    collector = Collector(broker, client_id=f"nspawn-test-{os.getpid()}")
    machine = Machine(root, work / "machine")
    machine.mount()
    try:
        config = CONFIG.format(id=TERMINAL, site=SITE, port=broker.port,
                               password=creds["password"], key=creds["command_key"])
        machine.install(config, {"fleet-ca.crt": broker.ca_file.read_bytes()})
        timings["boot to basic.target"] = machine.boot()
        yield SimpleNamespace(machine=machine, broker=broker, collector=collector,
                              key=bytes.fromhex(creds["command_key"]), timings=timings,
                              started=time.monotonic())
    finally:
        machine.stop()
        collector.close()
        broker.stop()
        print("\nnspawn timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))


def ui(t, *props):
    return t.machine.show("kiosk-ui.service", *props)


def agent_reports(t) -> list[dict]:
    return t.collector.json(f"{BASE}/agent/ui")


def send(t, cmd, args=None) -> dict:
    body = sign_command(t.key, TERMINAL, cmd, args, by="nspawn-test")
    t.collector.client.publish(f"{BASE}/agent/cmd", json.dumps(body), qos=1)
    t.collector.wait_for(lambda: any(r["id"] == body["id"]
                                     for r in t.collector.json(f"{BASE}/agent/cmd/result")),
                         15, f"the agent's answer to {cmd}")
    return next(r for r in t.collector.json(f"{BASE}/agent/cmd/result")
                if r["id"] == body["id"])


def timed(t, name, since):
    t.timings[name] = time.monotonic() - since


def test_every_unit_verifies_without_a_warning(t):
    names = [f"/etc/systemd/system/{p.name}" for p in SHIPPED]
    out = t.machine.run("systemd-analyze", "verify", *names, timeout=60)
    report = (out.stdout + out.stderr).strip()
    assert out.returncode == 0 and report == "", f"systemd-analyze verify:\n{report}"


def test_the_ui_reaches_ready_and_pings_its_watchdog(t):
    t.machine.wait_for(lambda: ui(t, "ActiveState")["ActiveState"] == "active", 60,
                       "kiosk-ui.service never became active (READY=1)")
    timed(t, "UI READY after boot", t.started)
    assert ui(t, "StatusText")["StatusText"] == "attract screen drawn"
    first = int(ui(t, "WatchdogTimestampMonotonic")["WatchdogTimestampMonotonic"])
    t.machine.wait_for(
        lambda: int(ui(t, "WatchdogTimestampMonotonic")["WatchdogTimestampMonotonic"]) > first,
        10, "no watchdog ping reached systemd")
    t.collector.wait_for(lambda: any(r["health"] == "running" for r in agent_reports(t)), 15,
                         "the agent's report that the UI runs")
    assert t.collector.json(f"{BASE}/agent/state")[-1]["state"] == "online"


def test_a_frozen_main_loop_is_killed_by_the_watchdog_and_restarted(t):
    before = ui(t, "MainPID", "NRestarts")
    since = time.monotonic()
    (t.machine.shared / "freeze").touch()  # the test-only hook: the main thread sleeps
    t.machine.wait_for(lambda: "Watchdog timeout" in t.machine.journal(200), 20,
                       "systemd's watchdog did not fire on the frozen UI")
    timed(t, "freeze to watchdog kill", since)
    t.machine.wait_for(
        lambda: (s := ui(t, "ActiveState", "MainPID", "NRestarts"))["ActiveState"] == "active"
        and s["MainPID"] != before["MainPID"], 60, "the UI did not come back")
    timed(t, "freeze to UI READY again", since)
    assert int(ui(t, "NRestarts")["NRestarts"]) == int(before["NRestarts"]) + 1
    t.collector.wait_for(lambda: any(r["result"] == "watchdog" and r["health"] != "running"
                                     for r in agent_reports(t)), 10,
                         "the agent's report of the watchdog kill")
    dying = next(r for r in agent_reports(t) if r["result"] == "watchdog")
    assert dying["log"], "the report carries the journal's last lines"


def test_the_agent_dies_alone_and_comes_back(t):
    invocation = ui(t, "InvocationID")["InvocationID"]
    since = time.monotonic()
    t.machine.run("systemctl", "kill", "--signal=KILL", "kiosk-agent.service", check=True)
    t.collector.wait_for(lambda: any(s.get("reason") == "lost"
                                     for s in t.collector.json(f"{BASE}/agent/state")), 60,
                         "the agent's Last Will")
    t.collector.wait_for(lambda: t.collector.json(f"{BASE}/agent/state")[-1]["state"]
                         == "online", 30, "the agent back online (Restart=always)")
    timed(t, "agent kill -9 to online again", since)
    assert ui(t, "InvocationID")["InvocationID"] == invocation, "the UI was restarted too"


def test_a_crash_loop_stops_at_the_start_limit_and_shows_out_of_service(t):
    config = t.machine.root / "etc/kiosk/kiosk.toml"
    good = config.read_text()
    # A bad value pushed by mistake; the kiosk names it in the journal (with the value).
    config.write_text(good.replace('language = "zh"', f'language = "{ID_NUMBER}"'))
    since = time.monotonic()
    t.machine.run("systemctl", "kill", "--signal=KILL", "kiosk-ui.service", check=True)
    t.machine.wait_for(lambda: ui(t, "ActiveState")["ActiveState"] == "failed", 60,
                       "the crash loop did not stop at the start limit")
    t.machine.wait_for(lambda: t.machine.show("kiosk-out-of-service.service", "ActiveState")
                       ["ActiveState"] == "active", 20, "no out-of-service screen")
    timed(t, "crash loop to out-of-service", since)
    picture = t.machine.shared / "out-of-service.png"
    assert Image.open(picture).size == (540, 960)
    shutil.copy(picture, Path(os.environ.get("KIOSK_SCREENSHOTS", t.machine.work))
                / "out-of-service.png")
    t.collector.wait_for(lambda: any(r["health"] == "failed" for r in agent_reports(t)), 10,
                         "the agent's report of the failed UI")
    failed = next(r for r in agent_reports(t) if r["health"] == "failed")
    assert failed["unit"] == "kiosk-ui.service" and failed["result"] in ("exit-code",
                                                                          "start-limit-hit")
    text = "\n".join(failed["log"])
    assert "language" in text, text  # what went wrong, from the journal
    everything = b"".join(p for topic, p, _r in t.collector.messages if "/agent/" in topic)
    assert ID_NUMBER.encode() not in everything, "an ID number left the terminal"
    # The UI's own connection died with it: its Last Will is on the broker too.
    assert any(s.get("reason") == "lost" for s in t.collector.json(f"{BASE}/state"))
    config.write_text(good)


def test_the_agent_restarts_the_failed_ui_on_a_signed_command(t):
    bad = sign_command(b"\0" * 32, TERMINAL, "restart_ui")
    t.collector.client.publish(f"{BASE}/agent/cmd", json.dumps(bad), qos=1)
    since = time.monotonic()
    answer = send(t, "restart_ui")
    assert answer["ok"], answer
    refused = [r for r in t.collector.json(f"{BASE}/agent/cmd/result") if r["id"] == bad["id"]]
    assert refused and refused[0]["detail"] == "bad signature"
    t.machine.wait_for(lambda: ui(t, "ActiveState")["ActiveState"] == "active", 60,
                       "the UI did not come back after restart_ui")
    timed(t, "restart_ui to UI READY", since)
    assert t.machine.show("kiosk-out-of-service.service", "ActiveState")["ActiveState"] \
        != "active"
    logs = send(t, "collect_logs", {"lines": 30})
    assert logs["ok"]
    lines = t.collector.json(f"{BASE}/agent/logs")[-1]["lines"]
    assert lines and ID_NUMBER not in "\n".join(lines)


def test_the_agent_reboots_the_terminal(t):
    refused = send(t, "reboot")
    assert refused["result"] == "refused"  # the UI runs: its own reboot, or force
    since = time.monotonic()
    assert send(t, "reboot", {"force": True})["ok"]
    code = t.machine.proc.wait(timeout=60)
    timed(t, "reboot command to container gone", since)
    assert code == 133, f"systemd-nspawn exited {code}, not 133 (the container rebooted)"
