"""The console against real parts: TLS mosquitto with the shipped ACL, SQLite and
PostgreSQL, the console as a child process, terminals speaking the real contract."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import paho.mqtt.client as mqtt
from sqlalchemy import func, select

from common.command_signing import terminal_key
from fleet.auth import add_user
from fleet.models import Alarm, Command, Txn, make_engine
from kiosk.fleet.commands import CommandHandler
from kiosk.fleet.feed import JournalFeed
from kiosk.fleet.health import DeviceView, Snapshot
from kiosk.fleet.reporter import FleetReporter
from kiosk.fleet.store import TerminalStore
from kiosk.journal import Journal
from tests.helpers.console_proc import start_console
from tests.helpers.mqtt import broker_config
from tests.helpers.png import png

REPO = Path(__file__).resolve().parents[2]
SITE = "nanshan-hall"


def wait(cond, timeout: float = 15, what: str = ""):
    """Poll a condition (HTTP or SQL) until true; the console works in other processes."""
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def tile(http, tid: str) -> dict | None:
    rows = http.get("/api/board").json()["terminals"]
    return next((t for t in rows if t["id"] == tid), None)


class Terminal:
    def __init__(self) -> None:
        self.oos = False

    def in_session(self) -> bool:
        return False

    def set_out_of_service(self, on: bool) -> None:
        self.oos = on

    def test_print(self) -> str:
        return "printed"

    def screenshot(self) -> bytes:
        return png(8, 6)

    def reload_config(self) -> str:
        return "applied: nothing"

    def locate(self, seconds: float) -> str:
        return "flashing"

    def reboot(self) -> str:
        return "demo"


def test_console_shows_what_terminals_report_and_commands_them(secure_broker, db_url, tmp_path):
    engine = make_engine(db_url)
    add_user(engine, "op", "op-pass", "operator")
    add_user(engine, "view", "view-pass", "viewer")
    console = start_console(tmp_path, db_url, secure_broker)
    tid = f"T-{'PG' if db_url.startswith('postgresql') else 'LITE'}"
    creds = secure_broker.add_terminal(tid, SITE)
    snap = Snapshot(devices={"printer": DeviceView("online"), "idcard": DeviceView("online")},
                    screen="attract")
    rep = FleetReporter(broker_config(secure_broker, creds), SITE, tid, "0.1.0",
                        TerminalStore(tmp_path / "t.sqlite"), lambda: snap)
    term = Terminal()
    rep.commands = CommandHandler(terminal_key(secure_broker.fleet_key, tid), tid, rep.store,
                                  term, rep.rebirth, rep.send_screenshot)
    rep.start()
    op, viewer = console.login("op", "op-pass"), console.login("view", "view-pass")
    try:
        wait(lambda: (tile(op, tid) or {}).get("light") == "green", what="green tile")
        assert rep.listening.wait(10)

        snap.devices["printer"] = DeviceView("user_error", "paper out", "clear", usable=False,
                                             detail_zh="打印纸用完")
        rep.poke()
        t = wait(lambda: (lambda x: x if x and x["light"] == "yellow" and x["alarms"] else None)(
            tile(op, tid)), what="yellow tile with its alarm")
        assert t["paper"] == "out" and t["alarms"] == 1
        alarm_id = wait(lambda: op.get("/alarms").text.count("打印纸用完") and
                        _active_alarm(engine, tid), what="alarm stored")
        # The detail in the viewer's language: Chinese by default, English on request.
        assert "paper out" not in op.get("/alarms").text
        assert "打印纸用完" in op.get(f"/t/{tid}").text
        assert "paper out" in in_english(op, "get", "/alarms").text
        assert "打印纸用完" not in in_english(op, "get", f"/t/{tid}").text
        assert "paper out" in in_english(op, "get", f"/t/{tid}").text
        assert viewer.post(f"/alarms/{alarm_id}/ack").status_code == 403
        assert op.post(f"/alarms/{alarm_id}/ack").status_code == 303
        assert _alarm(engine, alarm_id).acked_by == "op"

        snap.devices["printer"] = DeviceView("online")
        rep.poke()
        wait(lambda: _alarm(engine, alarm_id).cleared_at, what="alarm cleared")

        # Statistics are the journal's rows (a use each, a rating each), read by the feed.
        journal = Journal(tmp_path / "journal.sqlite")
        rep.feed = JournalFeed(journal, rep.store)
        journal.listeners.append(rep.poke)
        journal.record("r1", "ss.certificate", "ok", 2.0)
        journal.rate("r1", "ss.certificate", 5, [])
        journal.record("r2", "ss.certificate", "ok", 4.0)
        journal.rate("r2", "ss.certificate", 4, [])
        journal.record("r3", "ss.certificate", "unavailable", 9.0)  # failed, never rated
        # ... and each whole visit: how it ended and how long the citizen stayed.
        journal.visit("r1", "ss.certificate", "rated", 40.0, printed=True)
        journal.visit("r2", "ss.certificate", "rated", 60.0, printed=True)
        journal.visit("r3", "ss.certificate", "timeout", 90.0, printed=False)
        wait(lambda: _count(engine, Txn, tid) == 8, what="8 journal rows")
        page = op.get("/supervision").text
        row = page.split("参保证明打印", 1)[1].split("</tr>", 1)[0]
        cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)
        # 3 served (ratings and visits are not services), 1 failed, 5.0 s, ratings 5 and 4,
        # 0 poor; 3 visits, 1 timed out, a mean stay of 63 s
        assert cells == ["3", "1", "5.0 s", "4.50", "0", "3", "1", "63 s"]
        # A terminal from before the feed sends whole sessions (no "kind"): still counted.
        rep.enqueue("txn", {"ts": time.time(), "service": "ss_insurance", "outcome": "rated",
                            "duration_s": 60.0, "rating": 3, "printed": True})
        wait(lambda: _count(engine, Txn, tid) == 9, what="the old-style record")
        assert "社保参保查询" in op.get("/supervision").text

        # Viewers cannot command; operators can, and the answer is stored.
        assert viewer.post(f"/t/{tid}/cmd", data={"cmd": "out_of_service"}).status_code == 403
        assert not term.oos
        r = op.post(f"/t/{tid}/cmd", data={"cmd": "out_of_service"})
        assert r.status_code == 200
        cid = r.json()["id"]
        wait(lambda: _command(engine, cid).result == "done", what="command answered")
        assert term.oos
        r = op.post(f"/t/{tid}/cmd", data={"cmd": "screenshot"})
        wait(lambda: op.get(f"/t/{tid}/screenshot.png").status_code == 200, what="screenshot")
        assert op.get(f"/t/{tid}/screenshot.png").content.startswith(b"\x89PNG")
        assert 'data-cmd="reboot"' in viewer.get(f"/t/{tid}").text  # shown, but disabled
        assert "disabled" in viewer.get(f"/t/{tid}").text.split('data-cmd="reboot"')[1][:120]

        rep.stop()  # a clean shutdown: offline at once
        wait(lambda: tile(op, tid)["light"] == "grey", what="grey after shutdown")
        assert tile(op, tid)["reason"] == "shutdown"
    finally:
        rep.stop()
        console.stop()
        engine.dispose()


def in_english(client, method: str, path: str, **kw):
    """One request with the console's language cookie set to English."""
    client.cookies.set("lang", "en")
    try:
        return client.request(method.upper(), path, **kw)
    finally:
        client.cookies.delete("lang")


def _active_alarm(engine, tid):
    with engine.connect() as conn:
        return conn.execute(select(Alarm.id).where(Alarm.terminal == tid,
                                                   Alarm.cleared_at.is_(None))).scalar()


def _alarm(engine, alarm_id):
    with engine.connect() as conn:
        return conn.execute(select(Alarm).where(Alarm.id == alarm_id)).first()


def _command(engine, cid):
    with engine.connect() as conn:
        return conn.execute(select(Command).where(Command.id == cid)).first()


def _count(engine, table, tid):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)
                            .where(table.terminal == tid)).scalar()


def test_a_killed_terminal_turns_grey_via_its_will(secure_broker, tmp_path):
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    make_engine(db).dispose()
    add_user(make_engine(db), "view", "pw", "viewer")
    console = start_console(tmp_path, db, secure_broker)
    creds = secure_broker.add_terminal("T-KILL", SITE)
    cfg = {"broker": broker_config(secure_broker, creds).model_dump(mode="json"),
           "site": SITE, "id": "T-KILL", "db": str(tmp_path / "kill.sqlite")}
    proc = subprocess.Popen([sys.executable, "-m", "tests.helpers.terminal_proc",
                             json.dumps(cfg)], cwd=REPO, stdout=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    http = console.login("view", "pw")
    try:
        wait(lambda: (tile(http, "T-KILL") or {}).get("light") == "green", what="online")
        proc.kill()  # kill -9: no goodbye, only the broker's Last Will
        proc.wait()
        wait(lambda: tile(http, "T-KILL")["light"] == "grey", what="grey via the Will")
        assert tile(http, "T-KILL")["reason"] == "lost"
    finally:
        proc.kill()
        console.stop()


def test_two_consoles_share_one_stream_and_store_each_message_once(
        secure_broker, postgres, tmp_path):
    from sqlalchemy import create_engine, text

    from tests.fleet.conftest import _names  # a fresh PostgreSQL database
    name = f"fleet_{next(_names)}"
    admin = create_engine(postgres.url.replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    db = postgres.url.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(db)
    a = start_console(tmp_path, db, secure_broker, client_id="fleet-console-a", group="g2")
    b = start_console(tmp_path, db, secure_broker, client_id="fleet-console-b", group="g2")
    creds = secure_broker.add_terminal("T-SHARE", SITE)
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="T-SHARE",
                      protocol=mqtt.MQTTv5)
    pub.username_pw_set(creds["username"], creds["password"])
    pub.tls_set(ca_certs=str(secure_broker.ca_file))
    pub.connect(secure_broker.host, secure_broker.port)
    pub.loop_start()
    n = 400
    try:
        for seq in range(1, n + 1):
            body = {"ts": time.time(), "service": "ss_insurance", "outcome": "rated",
                    "duration_s": 30.0, "rating": 5, "printed": False, "stream": "s1",
                    "seq": seq}
            pub.publish(f"kiosk/v1/{SITE}/T-SHARE/txn", json.dumps(body), qos=1)
        wait(lambda: _count(engine, Txn, "T-SHARE") >= n, timeout=30, what=f"{n} stored")
        ca, cb = a.counters(), b.counters()
        assert ca.get("txn", 0) + cb.get("txn", 0) == n  # each message stored by one
        assert ca.get("duplicate", 0) + cb.get("duplicate", 0) == 0  # and delivered once
        assert ca.get("txn", 0) > 0 and cb.get("txn", 0) > 0  # both did part of the work
        assert _count(engine, Txn, "T-SHARE") == n
    finally:
        pub.disconnect()
        pub.loop_stop()
        a.stop()
        b.stop()
        engine.dispose()


def test_a_command_nobody_answers_shows_no_answer_and_an_offline_terminal_refuses(
        secure_broker, tmp_path):
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    engine = make_engine(db)
    add_user(engine, "op", "pw", "operator")
    console = start_console(tmp_path, db, secure_broker, extra=("--command-timeout", "2"))
    tid = "T-MUTE"
    creds = secure_broker.add_terminal(tid, SITE)
    snap = Snapshot(devices={"printer": DeviceView("online")}, screen="attract")
    rep = FleetReporter(broker_config(secure_broker, creds), SITE, tid, "0.1.0",
                        TerminalStore(tmp_path / "t.sqlite"), lambda: snap)
    rep.start()  # no command handler: it hears commands and never answers (hung, dying)
    op = console.login("op", "pw")
    try:
        wait(lambda: (tile(op, tid) or {}).get("light") == "green", what="online")
        cid = op.post(f"/t/{tid}/cmd", data={"cmd": "reboot"}).json()["id"]
        row = f'data-cmd-id="{cid}" data-state="'
        assert f'{row}sent"' in op.get(f"/t/{tid}").text  # waiting, for now
        wait(lambda: f'{row}no_answer"' in op.get(f"/t/{tid}").text, what="no answer")
        assert "无应答" in op.get(f"/t/{tid}").text
        assert "no answer" in in_english(op, "get", f"/t/{tid}").text
        # The answer comes after all: recorded, shown, and marked late.
        rep.enqueue("cmd/result", {"id": cid, "cmd": "reboot", "ok": True, "result": "done",
                                   "detail": "rebooting", "ts": time.time()})
        wait(lambda: f'{row}done"' in op.get(f"/t/{tid}").text, what="the late answer")
        assert _command(engine, cid).answered_at is not None
        assert "超时后应答" in op.get(f"/t/{tid}").text

        rep.stop()  # now offline: a command could never arrive within its 60 s
        wait(lambda: tile(op, tid)["light"] == "grey", what="grey")
        assert "终端离线，远程操作无法送达" in op.get(f"/t/{tid}").text  # warned before
        r = op.post(f"/t/{tid}/cmd", data={"cmd": "out_of_service"})
        assert r.status_code == 409 and "离线" in r.json()["detail"]
        r = in_english(op, "post", f"/t/{tid}/cmd", data={"cmd": "out_of_service"})
        assert "offline" in r.json()["detail"] and tid in r.json()["detail"]
        with engine.connect() as conn:  # nothing was sent, so nothing waits for an answer
            assert conn.execute(select(func.count()).select_from(Command)
                                .where(Command.cmd == "out_of_service")).scalar() == 0
    finally:
        rep.stop()
        console.stop()
        engine.dispose()


def test_any_alarm_code_renders_in_both_languages_and_old_payloads_still_work(
        secure_broker, tmp_path):
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    engine = make_engine(db)
    add_user(engine, "view", "pw", "viewer")
    console = start_console(tmp_path, db, secure_broker)
    creds = secure_broker.add_terminal("T-CODES", SITE)
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="T-CODES",
                      protocol=mqtt.MQTTv5)
    pub.username_pw_set(creds["username"], creds["password"])
    pub.tls_set(ca_certs=str(secure_broker.ca_file))
    pub.connect(secure_broker.host, secure_broker.port)
    pub.loop_start()
    http = console.login("view", "pw")
    events = [  # as terminals of every age send them
        {"alarm": "device.printer", "severity": "yellow", "detail": "cover open",
         "action": "clear"},  # v1.0: English only
        {"alarm": "device.queue", "severity": "red", "detail": "no answer",
         "detail_zh": "无应答", "action": "maintenance"},
        {"alarm": "temp.high", "severity": "yellow", "detail": "80.0°C",
         "action": "maintenance"},
        {"alarm": "staff.call", "severity": "yellow", "detail": "a citizen asks for help",
         "detail_zh": "市民请求协助", "action": "clear"},
        {"alarm": "device.scanner", "severity": "red", "detail": "gone", "action": "fix"},
        {"alarm": "power.ups", "severity": "purple", "detail": "on battery"},  # unknown
    ]
    try:
        for seq, body in enumerate(events, 1):
            pub.publish(f"kiosk/v1/{SITE}/T-CODES/event", json.dumps(
                {"ts": time.time(), "on": True, "stream": "s", "seq": seq, **body}), qos=1)
        wait(lambda: "power.ups" in http.get("/alarms").text, what="all alarms stored")
        zh = http.get("/alarms").text
        en = in_english(http, "get", "/alarms").text
        for text in ("凭条打印机", "cover open", "排队叫号机", "无应答", "温度过高", "80.0°C",
                     "呼叫工作人员", "市民请求协助", "设备 scanner", "power.ups", "on battery"):
            assert text in zh, text
        for text in ("Receipt printer", "cover open", "Queue device", "no answer",
                     "Temperature high", "Staff called", "a citizen asks for help",
                     "Device scanner", "power.ups"):
            assert text in en, text
        assert "无应答" not in en and "市民请求协助" not in en
    finally:
        pub.disconnect()
        pub.loop_stop()
        console.stop()
        engine.dispose()


def test_a_silent_terminal_turns_grey_after_the_adjustable_timeout(secure_broker, tmp_path):
    """Connected but silent (a hung kiosk whose TCP link lives on): no death ever comes,
    so grey comes from --offline-after, and the next message makes it green again."""
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    engine = make_engine(db)
    add_user(engine, "view", "pw", "viewer")
    console = start_console(tmp_path, db, secure_broker, offline_after=3)
    creds = secure_broker.add_terminal("T-SILENT", SITE)
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="T-SILENT",
                      protocol=mqtt.MQTTv5)
    pub.username_pw_set(creds["username"], creds["password"])
    pub.tls_set(ca_certs=str(secure_broker.ca_file))
    pub.connect(secure_broker.host, secure_broker.port, keepalive=60)
    pub.loop_start()
    base = f"kiosk/v1/{SITE}/T-SILENT"

    def speak() -> None:
        pub.publish(f"{base}/health", json.dumps({"ts": time.time(), "light": "green"}), qos=1,
                    retain=True).wait_for_publish(5)

    http = console.login("view", "pw")
    try:
        pub.publish(f"{base}/state", json.dumps({"state": "online", "bdseq": 0,
                                                 "ts": time.time(), "hb": 300}),
                    qos=1, retain=True).wait_for_publish(5)
        speak()
        wait(lambda: (tile(http, "T-SILENT") or {}).get("light") == "green", what="green")
        t = wait(lambda: (lambda x: x if x["light"] == "grey" else None)(tile(http, "T-SILENT")),
                 timeout=15, what="grey after 3 s of silence")
        assert t["online"] and t["reported"] == "green"  # no death: silence alone
        assert time.time() - t["last_seen"] > 3
        assert "离线判定 0.1 分钟" in http.get("/").text  # the board says after how long
        speak()
        wait(lambda: tile(http, "T-SILENT")["light"] == "green", what="green again")
    finally:
        pub.disconnect()
        pub.loop_stop()
        console.stop()
        engine.dispose()
