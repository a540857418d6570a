"""The terminal side's pure parts: store, signing, health rules, statistics."""

from __future__ import annotations

import pytest

from common.command_signing import Refused, check_command, sign_command, terminal_key
from common.contract import paper_level, parse_topic
from kiosk.fleet.health import DeviceView, Snapshot, alarms_for, health_body, significant
from kiosk.fleet.store import TerminalStore

KEY = terminal_key(b"k" * 32, "T1")


def test_bdseq_and_outbox_survive_reopening(tmp_path):
    store = TerminalStore(tmp_path / "t.sqlite")
    assert [store.next_bdseq() for _ in range(3)] == [0, 1, 2]
    seqs = [store.enqueue("event", {"n": n}) for n in range(5)]
    store.delivered(seqs[1])
    stream = store.stream
    store.close()
    again = TerminalStore(tmp_path / "t.sqlite")
    assert again.next_bdseq() == 3
    assert again.stream == stream
    assert [b["n"] for _s, _l, b in again.pending()] == [0, 2, 3, 4]
    assert [b["n"] for _s, _l, b in again.pending(after=seqs[2])] == [3, 4]


def test_outbox_is_bounded_and_counts_what_it_dropped(tmp_path):
    store = TerminalStore(tmp_path / "t.sqlite", max_rows=3)
    for n in range(5):
        store.enqueue("txn", {"n": n})
    assert [b["n"] for _s, _l, b in store.pending()] == [2, 3, 4]
    assert store.get("dropped") == 2


def test_nonce_is_single_use_across_reopening(tmp_path):
    store = TerminalStore(tmp_path / "t.sqlite")
    assert store.use_nonce("a" * 24, 1e12, keep_s=240)
    assert not store.use_nonce("a" * 24, 1e12, keep_s=240)
    store.close()
    assert not TerminalStore(tmp_path / "t.sqlite").use_nonce("a" * 24, 1e12, keep_s=240)


def test_signature_checks():
    body = sign_command(KEY, "T1", "reboot", {"force": True}, by="op")
    check_command(KEY, "T1", body)  # a good one passes
    with pytest.raises(Refused, match="unsigned"):
        check_command(KEY, "T1", {k: v for k, v in body.items() if k != "sig"})
    with pytest.raises(Refused, match="bad signature"):
        check_command(KEY, "T1", {**body, "args": {"force": False}})
    with pytest.raises(Refused, match="bad signature"):
        check_command(terminal_key(b"k" * 32, "T2"), "T1", body)
    other = sign_command(terminal_key(b"k" * 32, "T2"), "T2", "reboot")
    with pytest.raises(Refused, match="not for this terminal"):
        check_command(terminal_key(b"k" * 32, "T2"), "T1", other)
    old = sign_command(KEY, "T1", "reboot", now=1000.0)
    with pytest.raises(Refused, match="stale"):
        check_command(KEY, "T1", old)


def snap(**devices: DeviceView) -> Snapshot:
    return Snapshot(devices=devices, screen="attract")


def test_light_and_alarms():
    ok = DeviceView("online")
    assert alarms_for(snap(printer=ok, idcard=ok), {"disk": 50}) == {}
    paper_out = DeviceView("user_error", "paper out", "clear", usable=False)
    alarms = alarms_for(snap(printer=paper_out, idcard=ok), {})
    assert alarms == {"device.printer": {"severity": "yellow", "detail": "paper out",
                                         "action": "clear"}}
    body = health_body(snap(printer=paper_out, idcard=ok), {}, alarms)
    assert body["light"] == "yellow" and body["paper"] == "out"
    dead = DeviceView("offline", "no answer", "maintenance", usable=False)
    body = health_body(snap(printer=ok, idcard=dead), {}, alarms_for(snap(idcard=dead), {}))
    assert body["light"] == "red" and body["alarms"] == ["device.idcard"]
    assert alarms_for(snap(idcard=DeviceView("starting", usable=False)), {}) == {}
    assert alarms_for(snap(), {"disk": 98})["disk.full"]["severity"] == "red"
    assert alarms_for(snap(), {"temp": 80.0})["temp.high"]["severity"] == "yellow"
    oos = Snapshot(devices={"printer": ok}, out_of_service=True)
    assert health_body(oos, {}, {})["light"] == "red"


def test_only_significant_changes_trigger_a_report():
    ok = DeviceView("online")
    a = health_body(snap(printer=ok), {"cpu": 3}, {}, ts=1)
    b = health_body(Snapshot({"printer": ok}, screen="home", in_session=True), {"cpu": 90}, {},
                    ts=2)
    assert significant(a) == significant(b)  # load and screens ride on the heartbeat
    low = DeviceView("online", "paper near end", "clear")
    c = health_body(snap(printer=low), {}, alarms_for(snap(printer=low), {}))
    assert significant(c) != significant(a) and c["paper"] == "low"


def test_contract_helpers():
    assert parse_topic("kiosk/v1/futian/T1/cmd/result") == ("futian", "T1", "cmd/result")
    assert parse_topic("kiosk/v2/futian/T1/state") is None
    assert paper_level("hardware_error", "cover open") == "unknown"


def test_device_detail_travels_in_both_languages_when_the_driver_gives_both():
    from drivers.device import Action, DeviceState, DeviceStatus
    from kiosk.fleet.health import device_view

    status = DeviceStatus("printer", DeviceState.USER_ERROR, "paper out", Action.CLEAR,
                          detail_zh="缺纸")
    paper_out = device_view(status)
    assert (paper_out.detail, paper_out.detail_zh) == ("paper out", "缺纸")
    alarms = alarms_for(snap(printer=paper_out), {})
    assert alarms["device.printer"] == {"severity": "yellow", "detail": "paper out",
                                        "detail_zh": "缺纸", "action": "clear"}
    body = health_body(snap(printer=paper_out), {}, alarms)
    assert body["devices"]["printer"] == {"state": "user_error", "action": "clear",
                                          "detail": "paper out", "detail_zh": "缺纸"}
    # A driver with an English detail only: the payload is what contract v1.0 had.
    english = DeviceView("user_error", "cover open", "clear", usable=False)
    assert "detail_zh" not in health_body(snap(printer=english), {}, {})["devices"]["printer"]
    assert "detail_zh" not in alarms_for(snap(printer=english), {})["device.printer"]


def test_temperature_is_reported_only_where_a_sensor_exists(tmp_path):
    from kiosk.fleet.sysinfo import SysInfo

    bare = SysInfo(thermal=tmp_path / "none")
    assert bare.temperature_c() is None and "temp" not in bare.read()
    for zone, millis in (("thermal_zone0", "41500"), ("thermal_zone1", "48000\n")):
        (tmp_path / "thermal" / zone).mkdir(parents=True)
        (tmp_path / "thermal" / zone / "temp").write_text(millis)
    sensor = SysInfo(thermal=tmp_path / "thermal")
    assert sensor.read()["temp"] == 48.0  # the hottest zone
    assert {"mem", "disk", "uptime"} <= set(sensor.read())


def test_a_staff_call_is_one_yellow_alarm_until_it_is_cleared():
    called = Snapshot(staff_called=True)
    alarms = alarms_for(called, {})
    assert list(alarms) == ["staff.call"]
    assert alarms["staff.call"]["severity"] == "yellow"
    assert health_body(called, {}, alarms)["light"] == "yellow"
    assert "staff.call" not in alarms_for(Snapshot(), {})


def test_drops_right_after_connecting_add_up_to_the_clone_hint_once():
    from kiosk.fleet.reporter import DropWatch

    now = [0.0]
    watch = DropWatch(short_s=5, count=3, window_s=60, clock=lambda: now[0])
    said = []
    for _ in range(5):
        watch.connected()
        now[0] += 1  # dropped a second after connecting
        said.append(watch.dropped())
        now[0] += 1
    assert said == [False, False, True, False, False]


def test_a_drop_after_a_long_connection_is_no_pattern():
    from kiosk.fleet.reporter import DropWatch

    now = [0.0]
    watch = DropWatch(short_s=5, count=3, window_s=600, clock=lambda: now[0])
    for _ in range(5):
        watch.connected()
        now[0] += 30  # a network that drops now and then
        assert not watch.dropped()
    assert not watch.dropped()  # a drop with no connection before it counts for nothing
