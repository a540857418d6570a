"""The terminal's MQTT link against a real mosquitto with the shipped TLS + ACL config."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from common.command_signing import sign_command, terminal_key
from kiosk.fleet.commands import CommandHandler
from kiosk.fleet.health import DeviceView, Snapshot
from kiosk.fleet.reporter import FleetReporter
from kiosk.fleet.store import TerminalStore
from tests.helpers.broker import SecureBroker
from tests.helpers.mqtt import Collector, broker_config

REPO = Path(__file__).resolve().parents[3]
SITE = "futian-hall"


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    b = SecureBroker(tmp_path_factory.mktemp("broker"))
    yield b
    b.stop()


class FakeTerminal:
    def __init__(self) -> None:
        self.session = False
        self.oos = False
        self.reboots = 0

    def in_session(self) -> bool:
        return self.session

    def set_out_of_service(self, on: bool) -> None:
        self.oos = on

    def test_print(self) -> str:
        return "printed"

    def screenshot(self) -> bytes:
        return b"\x89PNG fake"

    def reload_config(self) -> str:
        return "applied: nothing"

    def locate(self, seconds: float) -> str:
        return "flashing"

    def reboot(self) -> str:
        self.reboots += 1
        return "rebooting"


def make_reporter(broker, tmp_path, tid, snap=None, creds=None):
    creds = creds or broker.add_terminal(tid, SITE)
    store = TerminalStore(tmp_path / f"{tid}.sqlite")
    snap = snap or Snapshot(devices={"printer": DeviceView("online")}, screen="attract")
    rep = FleetReporter(broker_config(broker, creds), SITE, tid, "0.1.0", store, lambda: snap)
    return rep, creds


def test_birth_health_and_clean_death_carry_the_session_counter(broker, tmp_path):
    col = Collector(broker, client_id="c-birth", topic=f"kiosk/v1/{SITE}/T-BIRTH/#")
    rep, _ = make_reporter(broker, tmp_path, "T-BIRTH")
    rep.start()
    col.wait_for(lambda: col.json("/health"), what="health")
    birth = col.json("/state")[0]
    assert birth["state"] == "online" and birth["bdseq"] == 0
    health = col.json("/health")[0]
    assert health["light"] == "green" and health["bdseq"] == 0
    assert {"light", "devices", "paper", "sys", "version", "config", "screen", "session",
            "oos"} <= set(health)
    rep.stop()
    col.wait_for(lambda: len(col.json("/state")) == 2, what="clean offline")
    assert col.json("/state")[1] == {**col.json("/state")[1], "state": "offline",
                                     "reason": "shutdown", "bdseq": 0}
    col.close()


def test_a_late_death_never_overwrites_a_fresh_birth(tmp_path):
    # Two connections of one login at once: the shipped broker forbids it (its client id
    # is its login), so the late Will is played on a plain broker.
    from kiosk.config import BrokerConfig
    from tests.helpers.broker import start_broker

    plain = start_broker(tmp_path)
    states: list[dict] = []
    got = threading.Condition()

    def on_message(_c, _u, msg) -> None:
        with got:
            states.append(json.loads(msg.payload))
            got.notify_all()

    def wait_for(cond) -> None:
        with got:
            assert got.wait_for(cond, timeout=10), states

    col = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="c-late",
                      protocol=mqtt.MQTTv5)
    col.on_message = on_message
    col.connect(plain.host, plain.port)
    col.subscribe(f"kiosk/v1/{SITE}/T-LATE/state", qos=1)
    col.loop_start()
    store = TerminalStore(tmp_path / "T-LATE.sqlite")
    snap = Snapshot(devices={"printer": DeviceView("online")}, screen="attract")
    rep = FleetReporter(BrokerConfig(host=plain.host, port=plain.port), SITE, "T-LATE",
                        "0.1.0", store, lambda: snap)
    rep.store.next_bdseq()  # this terminal has connected before: bdseq 1 now
    rep.start()
    try:
        wait_for(lambda: any(b["state"] == "online" for b in states))
        # The broker delivers the Will of the previous connection (bdseq 0) late.
        stale = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="T-LATE-old",
                            protocol=mqtt.MQTTv5)
        stale.connect(plain.host, plain.port)
        stale.loop_start()
        stale.publish(rep.topic("state"), json.dumps({"state": "offline", "bdseq": 0}), qos=1,
                      retain=True).wait_for_publish(5)
        wait_for(lambda: states[-1]["state"] == "online" and len(states) >= 3)
        assert states[-1]["bdseq"] == 1
        stale.disconnect()
        stale.loop_stop()
    finally:
        rep.stop()
        col.disconnect()
        col.loop_stop()
        plain.stop()


def test_a_terminal_cannot_publish_as_another(broker, tmp_path):
    col = Collector(broker, client_id="c-acl", topic="kiosk/v1/#")
    creds = broker.add_terminal("T-EVIL", SITE)
    evil = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="T-EVIL",
                       protocol=mqtt.MQTTv5)
    evil.username_pw_set(creds["username"], creds["password"])
    evil.tls_set(ca_certs=str(broker.ca_file))
    evil.connect(broker.host, broker.port)
    evil.loop_start()
    for topic in (f"kiosk/v1/{SITE}/T-VICTIM/health", f"kiosk/v1/{SITE}/T-VICTIM/state",
                  f"kiosk/v1/{SITE}/T-VICTIM/cmd", f"kiosk/v1/{SITE}/T-EVIL/cmd"):
        evil.publish(topic, b'{"light":"green"}', qos=1).wait_for_publish(5)
    evil.publish(f"kiosk/v1/{SITE}/T-EVIL/health", b'{"marker":1}', qos=1).wait_for_publish(5)
    col.wait_for(lambda: any(t.endswith("T-EVIL/health") for t, _p, _r in col.messages))
    assert [t for t, _p, _r in col.messages if "T-VICTIM" in t or t.endswith("/cmd")] == []
    # Nor can it read another terminal's commands (mosquitto grants the subscription but
    # checks the ACL on delivery: the victim's command, sent first, must never arrive).
    got: list = []
    acks: dict[int, list] = {}
    suback = threading.Condition()

    def on_subscribe(_c, _u, mid, reason_codes, _p) -> None:
        with suback:
            acks[mid] = [rc.is_failure for rc in reason_codes]
            suback.notify_all()

    def subscribe(topic: str) -> bool:
        _rc, mid = evil.subscribe(topic, qos=1)
        with suback:
            assert suback.wait_for(lambda: mid in acks, timeout=10), "no SUBACK"
        return acks[mid][0]

    evil.on_subscribe = on_subscribe
    evil.on_message = lambda _c, _u, m: got.append(m.topic)
    subscribe(f"kiosk/v1/{SITE}/T-VICTIM/cmd")
    assert subscribe(f"kiosk/v1/{SITE}/T-EVIL/cmd") is False  # its own: granted
    col.client.publish(f"kiosk/v1/{SITE}/T-VICTIM/cmd", b"{}", qos=1).wait_for_publish(5)
    col.client.publish(f"kiosk/v1/{SITE}/T-EVIL/cmd", b"{}", qos=1).wait_for_publish(5)
    col.wait_for(lambda: got != [], what="own command")
    assert got == [f"kiosk/v1/{SITE}/T-EVIL/cmd"]
    evil.disconnect()
    evil.loop_stop()
    col.close()


def test_commands_are_signed_answered_and_never_replayed(broker, tmp_path):
    col = Collector(broker, client_id="c-cmd", topic=f"kiosk/v1/{SITE}/T-CMD/#")
    rep, _ = make_reporter(broker, tmp_path, "T-CMD")
    term = FakeTerminal()
    key = terminal_key(broker.fleet_key, "T-CMD")
    rep.commands = CommandHandler(key, "T-CMD", rep.store, term, rep.rebirth,
                                  rep.send_screenshot)
    rep.start()
    assert rep.listening.wait(10)
    topic = rep.topic("cmd")

    def send(body: dict) -> None:
        col.client.publish(topic, json.dumps(body), qos=1).wait_for_publish(5)

    def answer(cid: str, n: int = 1) -> list[dict]:
        col.wait_for(lambda: len([r for r in col.json("/cmd/result") if r["id"] == cid]) >= n,
                     what=f"answer to {cid}")
        return [r for r in col.json("/cmd/result") if r["id"] == cid]

    good = sign_command(key, "T-CMD", "out_of_service", by="op")
    send(good)
    assert answer(good["id"])[0]["ok"] and term.oos
    send(good)  # the same message again: a replay
    assert answer(good["id"], 2)[1] == {**answer(good["id"], 2)[1], "ok": False,
                                        "result": "refused",
                                        "detail": "replayed (nonce already used)"}
    unsigned = {k: v for k, v in sign_command(key, "T-CMD", "in_service").items() if k != "sig"}
    send(unsigned)
    assert answer(unsigned["id"])[0]["detail"] == "unsigned" and term.oos
    forged = sign_command(terminal_key(b"x" * 32, "T-CMD"), "T-CMD", "in_service")
    send(forged)
    assert answer(forged["id"])[0]["detail"] == "bad signature" and term.oos

    term.session = True
    reboot = sign_command(key, "T-CMD", "reboot")
    send(reboot)
    assert answer(reboot["id"])[0]["result"] == "refused" and term.reboots == 0
    forced = sign_command(key, "T-CMD", "reboot", {"force": True})
    send(forced)
    assert answer(forced["id"])[0]["ok"] and term.reboots == 1

    private = sign_command(key, "T-CMD", "screenshot")
    send(private)  # a citizen is still in session: their data must not leave the kiosk
    assert answer(private["id"])[0]["detail"] == "a citizen is in session: no screenshot"
    term.session = False
    shot = sign_command(key, "T-CMD", "screenshot")
    send(shot)
    assert answer(shot["id"])[0]["ok"]
    col.wait_for(lambda: any(t.endswith("/screenshot") for t, _p, _r in col.messages))
    rep.stop()
    # Nonces are on disk: a restarted terminal refuses the old command as well.
    store = TerminalStore(tmp_path / "T-CMD.sqlite")
    assert not store.use_nonce(good["nonce"], good["ts"], keep_s=240)
    col.close()


def test_store_and_forward_across_a_broker_restart_and_a_power_cut(broker, tmp_path):
    """Queued while the broker is down, killed -9, restarted: everything arrives, in order."""
    tid = "T-SAF"
    creds = broker.add_terminal(tid, SITE)
    col = Collector(broker, client_id="c-saf", topic=f"kiosk/v1/{SITE}/{tid}/txn",
                    persistent=True)
    cfg = {"broker": broker_config(broker, creds).model_dump(mode="json"), "site": SITE,
           "id": tid, "db": str(tmp_path / "saf.sqlite"), "txns": 30}
    broker.stop()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    first = subprocess.Popen([sys.executable, "-m", "tests.helpers.terminal_proc",
                              json.dumps(cfg)], cwd=REPO, env=env, stdout=subprocess.PIPE,
                             text=True)
    assert first.stdout.readline().strip() == "queued"
    first.send_signal(signal.SIGKILL)  # a power cut with 30 records queued on disk
    first.wait()
    broker.start()
    cfg["txns"] = 400  # 400 more after the restart, behind the 30 from before
    second = subprocess.Popen([sys.executable, "-m", "tests.helpers.terminal_proc",
                               json.dumps(cfg)], cwd=REPO, env=env, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert second.stdout.readline().strip() == "queued"
        col.wait_for(lambda: len(col.json("/txn")) >= 20, timeout=30, what="the first records")
        broker.restart()  # mid-stream: records are in flight and queued for the console
        at_restart = len({r["seq"] for r in col.json("/txn")})
        col.wait_for(lambda: len({r["seq"] for r in col.json("/txn")}) >= 430, timeout=60,
                     what="all 430 records")
        assert at_restart < 430, "the restart came too late to test anything"
        seqs = [r["seq"] for r in col.json("/txn")]
        unique = sorted(set(seqs))
        assert unique == list(range(1, 431))
        first_seen = list(dict.fromkeys(seqs))
        assert first_seen == unique, "delivered out of order"
    finally:
        second.kill()
        second.wait()
        col.close()


def test_the_will_fires_when_the_terminal_dies(broker, tmp_path):
    tid = "T-WILL"
    creds = broker.add_terminal(tid, SITE)
    col = Collector(broker, client_id="c-will", topic=f"kiosk/v1/{SITE}/{tid}/state")
    cfg = {"broker": broker_config(broker, creds).model_dump(mode="json"), "site": SITE,
           "id": tid, "db": str(tmp_path / "will.sqlite")}
    proc = subprocess.Popen([sys.executable, "-m", "tests.helpers.terminal_proc",
                             json.dumps(cfg)], cwd=REPO, stdout=subprocess.PIPE)
    col.wait_for(lambda: any(b["state"] == "online" for b in col.json("/state")), timeout=15)
    birth = col.json("/state")[-1]
    proc.kill()
    proc.wait()
    col.wait_for(lambda: col.json("/state")[-1]["state"] == "offline", timeout=15, what="Will")
    death = col.json("/state")[-1]
    assert death["reason"] == "lost" and death["bdseq"] == birth["bdseq"]
    col.close()



def test_a_second_client_with_the_terminals_login_is_named_in_the_log(broker, tmp_path, caplog):
    """A cloned terminal (its login copied) takes the session over; the log says so."""
    import logging

    caplog.set_level(logging.WARNING, logger="kiosk.fleet.reporter")
    tid = "T-CLONE"
    rep, creds = make_reporter(broker, tmp_path, tid)
    rep.start()
    clone = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"kiosk-{tid}",
                        protocol=mqtt.MQTTv5)
    try:
        assert rep.connected.wait(10)
        clone.username_pw_set(creds["username"], creds["password"])
        clone.tls_set(ca_certs=str(broker.ca_file))
        clone.connect(broker.host, broker.port)
        clone.loop_start()
        deadline = time.monotonic() + 10
        hint = "another client may be using its login and client id"
        while not any(hint in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline, [r.getMessage() for r in caplog.records]
            time.sleep(0.05)
    finally:
        clone.loop_stop()
        clone.disconnect()
        rep.stop()

def test_journal_rows_arrive_once_and_in_order_across_kill_9_and_a_broker_restart(
        broker, tmp_path):
    """The journal is the kiosk's one record; the fleet gets each of its rows once."""
    from collections import Counter

    from kiosk.journal import Journal

    tid = "T-JRN"
    creds = broker.add_terminal(tid, SITE)
    col = Collector(broker, client_id="c-jrn", topic=f"kiosk/v1/{SITE}/{tid}/txn",
                    persistent=True)
    journal = Journal(tmp_path / "journal.sqlite")
    services = ("ss.insurance_status", "ss.certificate", "hf.account")
    written = [0]

    def serve(n: int) -> None:  # n citizens: a use each, every other one rates it
        for _ in range(n):
            i = written[0]
            ref = f"{i:016x}"
            journal.record(ref, services[i % 3], "ok" if i % 7 else "timeout", i / 100)
            if i % 2:
                journal.rate(ref, services[i % 3], 1 + i % 5, ["reason"])
            written[0] += 1

    cfg = {"broker": broker_config(broker, creds).model_dump(mode="json"), "site": SITE,
           "id": tid, "db": str(tmp_path / "jrn.sqlite"),
           "journal": str(tmp_path / "journal.sqlite")}
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-m", "tests.helpers.terminal_proc", json.dumps(cfg)]
    broker.stop()
    serve(40)
    first = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    assert first.stdout.readline().strip() == "queued"
    first.send_signal(signal.SIGKILL)  # a power cut: 60 rows in the outbox, none sent
    first.wait()
    broker.start()
    serve(300)
    second = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert second.stdout.readline().strip() == "queued"
        col.wait_for(lambda: len(col.json("/txn")) >= 20, timeout=30, what="the first rows")
        broker.restart()  # mid-stream
        at_restart = len({r["seq"] for r in col.json("/txn")})
        serve(60)  # citizens served meanwhile: the running feed picks them up
        total = 400 + 200  # 400 uses, 200 ratings
        col.wait_for(lambda: len({r["seq"] for r in col.json("/txn")}) >= total, timeout=60,
                     what=f"all {total} rows")
        assert at_restart < total, "the restart came too late to test anything"
        got = col.json("/txn")
        unique = sorted({r["seq"] for r in got})
        assert unique == list(range(1, total + 1))  # none lost, none queued twice
        assert list(dict.fromkeys(r["seq"] for r in got)) == unique, "delivered out of order"
        once = {r["seq"]: r for r in got}.values()
        assert Counter((r["kind"], r["service"]) for r in once) == Counter(
            [("use", services[i % 3]) for i in range(400)]
            + [("rating", services[i % 3]) for i in range(400) if i % 2])
        stats = journal.stats()
        for service in services:  # what the console counts is what the journal holds
            uses = [r for r in once if r["kind"] == "use" and r["service"] == service]
            assert len(uses) == stats[service]["count"]
            assert sum(r["outcome"] != "ok" for r in uses) == stats[service]["failed"]
        for _t, payload, _r in col.messages:  # nothing that could identify a session
            assert b"reason" not in payload and b"000000000000" not in payload
    finally:
        second.kill()
        second.wait()
        col.close()
