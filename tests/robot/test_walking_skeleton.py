"""The walking skeleton, driven like a citizen would, against real parts.

Real mosquitto, the demo back end over HTTP, the ID card and printer simulators on
real ptys speaking the exact protocol bytes, the real pcscd with the virtual social
security card, and the real Kivy app rendering offscreen, driven with touch events.
Screenshots of every screen go to var/screenshots/robot/.
"""

from __future__ import annotations

import json

import httpx
import paho.mqtt.client as mqtt
import pytest
import zxingcpp

from backend.citizens import DEMO_CITIZENS
from common.command_signing import sign_command
from drivers.printer import protocol as escpos
from drivers.printer.protocol import EscPosParser, render_pages
from kiosk.departments.social_security import DEPARTMENT as SOCIAL_SECURITY
from tests.robot.world import (
    SHOTS,
    TERMINAL_KEY,
    assert_nothing_personal,
    personal_strings,
)

pytestmark = pytest.mark.robot


def test_citizen_prints_an_insurance_certificate(world):
    from tests.robot.kivy_robot import frames, screenshot, tap, tap_at, wait_until

    app, sims = world.app, world.sims
    citizen = DEMO_CITIZENS[0]
    card = next(c for c in sims.cards if c.id_number == citizen.id_number)
    # One app serves every robot module: count what this test adds, from here on.
    zero = {"count": 0, "failed": 0, "ratings": 0}
    cert_before = {**zero, **app.journal.stats().get("ss.certificate", {})}
    first_message = len(world.messages)

    wait_until(lambda: app.screens.current == "attract", what="attract screen")
    wait_until(lambda: app.hub.statuses["idcard"].usable, what="ID card reader online")
    screenshot(SHOTS, "01-attract-zh")

    # The broker got the retained "online" state (and the Will is registered behind it).
    def online() -> bool:
        return any(t.endswith("/state") and json.loads(p)["state"] == "online"
                   for t, p, _r in world.messages)
    wait_until(online, what="online state on the broker")
    topic, payload, _retained = next(
        (t, p, r) for t, p, r in world.messages if t.endswith("/state"))
    assert topic == "kiosk/v1/futian-hall/SZFT-0001/state"
    birth = json.loads(payload)
    assert birth["state"] == "online" and isinstance(birth["bdseq"], int)

    tap(app.root_widget.ids.lang_button)
    wait_until(lambda: app.lang == "en")
    screenshot(SHOTS, "02-attract-en")
    tap(app.root_widget.ids.lang_button)
    wait_until(lambda: app.lang == "zh")

    tap_at(app.root_widget.center_x, app.root_widget.height * 0.3)  # touch to start
    wait_until(lambda: app.screens.current == "identify", what="identify screen")
    screenshot(SHOTS, "03-identify")

    sims.idcard.insert(card)  # the citizen places the ID card on the reader
    wait_until(lambda: app.screens.current == "home", what="home after the card was read")
    home = app.screens.get_screen("home")
    wait_until(lambda: home.greeting_name != "", what="greeting")
    assert citizen.name not in home.greeting_name  # masked on screen
    screenshot(SHOTS, "04-home")

    tap(home.tile(SOCIAL_SECURITY))
    ss = app.screens.get_screen("ss_status")
    wait_until(lambda: app.screens.current == "ss_status" and ss.can_print, what="insurance rows")
    assert len(ss.ids.rows_box.children) >= 1
    screenshot(SHOTS, "05-social-security")

    before = len(sims.printer.jobs)  # the app is shared: other modules printed before us
    tap(ss.ids.print_button)
    wait_until(lambda: app.screens.current == "printing", what="printing screen")
    screenshot(SHOTS, "06-printing")
    job = sims.printer.wait_for_jobs(before + 1, timeout=30)[before]
    wait_until(lambda: app.controller.print_state == "done", what="print done")
    screenshot(SHOTS, "07-printed")

    # The demo printer has a Chinese font and native QR (profile "cn-font-qr"): the job is
    # GB18030 text and a GS ( k QR code, a few kB instead of a 65 kB raster.
    assert app.hub.printer_profile.native_text and len(job.data) < 8_000
    ops = EscPosParser().feed(bytes(job.data))
    stored = [op.data[1:] for op in ops if isinstance(op, escpos.Code2D) and op.fn == 80]
    assert len(stored) == 1  # one QR code, stored natively ...
    verify_url = stored[0].decode("ascii")
    code = verify_url.rsplit("=", 1)[-1]
    text = "".join(op.text for op in ops if isinstance(op, escpos.Text))
    assert "社会保险参保证明" in text and code in text and "扫码或登录官网输入验证码核验" in text
    # ... and printed where a phone can read it: render the page as the printer prints it.
    pages = render_pages(ops)
    assert len(pages) == 1
    page = pages[0]
    assert page.width == 576 and page.height > 600
    codes = zxingcpp.read_barcodes(page.convert("L"))
    assert [c.text for c in codes] == [verify_url]
    check = httpx.get(f"{world.backend_url}/api/v1/certificates/{code}", timeout=5).json()
    assert check["valid"] is True
    page.save(SHOTS / "printed-certificate.png")

    tap(app.screens.get_screen("printing").ids.finish_button)
    wait_until(lambda: app.screens.current == "rating", what="rating screen")
    screenshot(SHOTS, "08-rating")
    tap(app.screens.get_screen("rating").ids.rate_5)
    wait_until(lambda: app.screens.current == "ended", what="thanks screen")
    screenshot(SHOTS, "09-ended")
    assert_nothing_personal(app, citizen)

    wait_until(lambda: app.screens.current == "attract", what="back to attract")
    sims.idcard.remove()
    frames(5)
    assert_nothing_personal(app, citizen)

    # The journal recorded both services and the rating, with nothing personal.
    stats = app.journal.stats()
    assert stats["ss.insurance_status"]["count"] >= 1
    cert = {**zero, **stats["ss.certificate"]}
    assert cert["count"] == cert_before["count"] + 1
    assert cert["failed"] == cert_before["failed"]
    wait_until(lambda: app.journal.pending_ratings() == [], what="rating delivered")
    assert app.journal.stats()["ss.certificate"]["ratings"] == cert_before["ratings"] + 1
    for part in world.tmp.glob("journal.sqlite*"):  # the database and its WAL
        for secret in personal_strings(citizen):
            assert secret.encode() not in part.read_bytes()
    # The print journal held the certificate (it names the citizen) only until it printed.
    parts = list(world.tmp.glob("printer-journal.sqlite3*"))
    assert parts
    for part in parts:
        for secret in personal_strings(citizen):
            for encoding in ("utf-8", "gb18030"):
                assert secret.encode(encoding) not in part.read_bytes()

    # The fleet got the health state and this session's journal rows, nothing personal.
    def health_seen() -> bool:
        return any(t.endswith("/health") and json.loads(p)["devices"]["printer"]["state"]
                   == "online" for t, p, _r in world.messages)
    wait_until(health_seen, what="a health state")

    def ours() -> list[dict]:
        return [json.loads(p) for t, p, _r in world.messages[first_message:]
                if t.endswith("/txn")]
    wait_until(lambda: any(txn["kind"] == "visit" for txn in ours()), what="the statistics")
    rows = [(t["kind"], t["service"], t["outcome"]) for t in ours()]
    # The journal's rows, in order: the status shown, the certificate printed, the rating,
    # and the whole visit (rated, with a document printed).
    assert rows[-4:] == [("use", "ss.insurance_status", "ok"), ("use", "ss.certificate", "ok"),
                         ("rating", "ss.certificate", "rated"),
                         ("visit", "ss.certificate", "rated")], rows
    visit = ours()[-1]
    assert visit["printed"] is True and ours()[-2]["rating"] == 5
    assert 0 < visit["duration_s"] < 600
    refs = app.journal._run("SELECT session_ref FROM transactions").fetchall()
    for _t, payload, _r in world.messages:
        assert not any(ref.encode() in payload for (ref,) in refs if ref)  # no session ref
        for secret in personal_strings(citizen):
            assert secret.encode() not in payload


def test_idle_citizen_is_warned_then_timed_out(world):
    from tests.robot.kivy_robot import screenshot, tap, tap_at, wait_until

    app, sims = world.app, world.sims
    citizen = DEMO_CITIZENS[1]
    card = next(c for c in sims.cards if c.id_number == citizen.id_number)
    wait_until(lambda: app.screens.current == "attract", what="attract screen")

    tap_at(app.root_widget.center_x, app.root_widget.height * 0.3)
    wait_until(lambda: app.screens.current == "identify", what="identify screen")
    sims.idcard.insert(card)
    wait_until(lambda: app.screens.current == "home", what="home")
    dialog = app.timeout_dialog
    wait_until(lambda: dialog._window is not None, timeout=15, what="the countdown dialog")
    assert 0 < dialog.seconds <= 5
    screenshot(SHOTS, "10-timeout-dialog")

    tap(dialog.ids.more_button)  # "more time"
    wait_until(lambda: dialog._window is None, what="dialog closed")
    assert app.session.remaining > 8
    assert app.screens.current == "home"

    # Now walk away: the dialog comes back, counts down, and the session ends.
    wait_until(lambda: app.screens.current == "ended", timeout=20, what="timeout end")
    assert app.session.end_reason == "timeout"
    screenshot(SHOTS, "11-timed-out")
    assert_nothing_personal(app, citizen)
    # The journal keeps the visit: timed out, on the home screen's "none", nothing printed.
    def last_visit():
        return app.journal._run(
            "SELECT service, outcome, printed FROM visits ORDER BY id DESC LIMIT 1").fetchone()
    wait_until(lambda: last_visit() == ("none", "timeout", 0), what="the visit journaled")
    wait_until(lambda: app.screens.current == "attract", what="back to attract")
    sims.idcard.remove()


def test_printer_out_of_paper_is_shown_and_blocks_printing(world):
    from tests.robot.kivy_robot import screenshot, tap, tap_at, wait_until

    app, sims = world.app, world.sims
    wait_until(lambda: app.screens.current == "attract", what="attract screen")
    sims.printer.paper = "out"
    wait_until(lambda: "打印机" in app.out_of_order, what="out-of-order line")
    status_line = app.screens.get_screen("attract").ids.status_line
    assert status_line.text == "暂停服务：打印机"
    screenshot(SHOTS, "12-attract-printer-out")

    # The citizen can still query; only printing is refused, with the reason.
    tap_at(app.root_widget.center_x, app.root_widget.height * 0.3)
    wait_until(lambda: app.screens.current == "identify", what="identify screen")
    sims.idcard.insert(sims.cards[0])
    wait_until(lambda: app.screens.current == "home", what="home")
    tap(app.screens.get_screen("home").tile(SOCIAL_SECURITY))
    ss = app.screens.get_screen("ss_status")
    wait_until(lambda: len(ss.ids.rows_box.children) > 0, what="insurance rows")
    assert not ss.can_print and ss.ids.print_button.disabled
    assert ss.notice == "打印机暂时无法使用"
    screenshot(SHOTS, "13-social-security-printer-out")

    sims.printer.paper = "ok"  # staff refill the paper
    wait_until(lambda: ss.can_print, what="printing allowed again")
    wait_until(lambda: app.out_of_order == "", what="out-of-order line cleared")
    app.controller.cancel()
    wait_until(lambda: app.screens.current == "attract", what="back to attract")
    sims.idcard.remove()


def test_a_department_that_goes_down_is_shown_and_probed_back(world):
    from tests.robot.kivy_robot import screenshot, tap, tap_at, wait_until

    app, sims = world.app, world.sims
    wait_until(lambda: app.screens.current == "attract", what="attract screen")
    tap_at(app.root_widget.center_x, app.root_widget.height * 0.3)
    wait_until(lambda: app.screens.current == "identify", what="identify screen")
    sims.idcard.insert(sims.cards[0])
    wait_until(lambda: app.screens.current == "home", what="home")

    fault = {"department": "social-security", "mode": "down"}
    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", json=fault, timeout=5)
    home = app.screens.get_screen("home")
    tap(home.tile(SOCIAL_SECURITY))
    ss = app.screens.get_screen("ss_status")
    wait_until(lambda: ss.notice == "社保服务暂时不可用，请稍后再试", what="error notice")
    assert len(ss.ids.rows_box.children) == 0
    app.show("home")
    wait_until(lambda: not home.tile(SOCIAL_SECURITY).enabled, what="tile marked unavailable")
    assert home.tile(SOCIAL_SECURITY).sub == "暂不可用（返回异常）"
    screenshot(SHOTS, "14-home-department-down")
    tap(home.tile(SOCIAL_SECURITY))  # a disabled tile does nothing
    assert app.screens.current == "home"

    httpx.post(f"{world.backend_url}/api/v1/_demo/faults",
               json={**fault, "mode": "none"}, timeout=5)
    wait_until(lambda: home.tile(SOCIAL_SECURITY).enabled,
               what="the prober bringing the department back")
    assert home.tile(SOCIAL_SECURITY).sub == "参保查询 · 参保证明"
    app.controller.cancel()
    wait_until(lambda: app.screens.current == "attract", what="back to attract")
    sims.idcard.remove()


def test_citizen_identifies_with_the_social_security_card(world):
    from tests.robot.kivy_robot import screenshot, tap_at, wait_until

    app, sims = world.app, world.sims
    citizen = DEMO_CITIZENS[2]
    card = next(c for c in sims.sscards if c.card.card.ssn == citizen.id_number)
    wait_until(lambda: app.screens.current == "attract", what="attract screen")
    wait_until(lambda: app.hub.statuses["sscard"].usable, timeout=30, what="sscard reader online")

    tap_at(app.root_widget.center_x, app.root_widget.height * 0.3)
    wait_until(lambda: app.screens.current == "identify", what="identify screen")
    card.insert()  # the card goes through the real pcscd, read with T=0 61xx/6Cxx
    try:
        wait_until(lambda: app.screens.current == "home", timeout=30, what="home after sscard")
        assert app.session.citizen is not None
        assert app.session.citizen.id_number == citizen.id_number
        home = app.screens.get_screen("home")
        wait_until(lambda: home.greeting_name != "", what="greeting")
        assert citizen.name not in home.greeting_name
        screenshot(SHOTS, "15-home-via-sscard")
        app.controller.cancel()
        wait_until(lambda: app.screens.current == "attract", what="back to attract")
        assert_nothing_personal(app, citizen)
    finally:
        card.remove()
    for _t, payload, _r in world.messages:
        for secret in personal_strings(citizen):
            assert secret.encode() not in payload


def test_remote_commands_reach_the_running_kiosk(world):
    """Signed commands over the real broker: out of service, locate, screenshot, test print."""
    from tests.robot.kivy_robot import screenshot, tap_at, wait_until

    app, sims = world.app, world.sims
    wait_until(lambda: app.screens.current == "attract", what="attract screen")
    sender = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="robot-console")
    sender.connect("127.0.0.1", app.config_model.broker.port)
    sender.loop_start()
    base = "kiosk/v1/futian-hall/SZFT-0001"

    def command(cmd: str, **args) -> dict:
        body = sign_command(TERMINAL_KEY, "SZFT-0001", cmd, args, by="robot")
        sender.publish(f"{base}/cmd", json.dumps(body), qos=1)

        def answered() -> bool:
            return any(t == f"{base}/cmd/result" and json.loads(p)["id"] == body["id"]
                       for t, p, _r in world.messages)
        wait_until(answered, what=f"answer to {cmd}")
        return next(json.loads(p) for t, p, _r in world.messages
                    if t == f"{base}/cmd/result" and json.loads(p)["id"] == body["id"])

    assert command("out_of_service")["ok"]
    touch_line = app.screens.get_screen("attract").ids.touch_line
    wait_until(lambda: touch_line.text == "本终端暂停服务，请使用其他终端", what="oos text")
    screenshot(SHOTS, "14-attract-out-of-service")
    tap_at(app.root_widget.center_x, app.root_widget.height * 0.3)
    assert app.screens.current == "attract"  # no session starts while out of service
    assert command("in_service")["ok"]
    wait_until(lambda: touch_line.text == "请触摸屏幕开始", what="touch text back")

    assert command("locate", seconds=2)["ok"]
    locate_line = app.screens.get_screen("attract").ids.locate_line
    wait_until(lambda: locate_line.text == "正在定位本终端", what="locate banner")
    screenshot(SHOTS, "15-attract-locate")
    wait_until(lambda: locate_line.text == "", what="locate banner gone")

    shot = command("screenshot")
    assert shot["ok"], shot
    png = next(p for t, p, _r in world.messages if t == f"{base}/screenshot")
    assert png.startswith(b"\x89PNG")

    jobs = len(sims.printer.jobs)
    assert command("test_print")["ok"]
    assert len(sims.printer.wait_for_jobs(jobs + 1, timeout=30)) == jobs + 1
    sender.disconnect()
    sender.loop_stop()


def test_the_kiosk_serves_while_the_broker_is_down_and_reports_afterwards(world):
    """No broker: a citizen is still served; the statistics wait on disk, then arrive."""
    import subprocess

    from tests.robot.kivy_robot import tap, tap_at, wait_until

    app, sims = world.app, world.sims
    wait_until(lambda: app.screens.current == "attract", what="attract screen")
    first_message = len(world.messages)
    world.broker.stop()
    wait_until(lambda: not app.health.connected.is_set(), what="the kiosk notices")
    before = app.health.store.backlog()

    tap_at(app.root_widget.center_x, app.root_widget.height * 0.3)
    wait_until(lambda: app.screens.current == "identify", what="identify screen")
    sims.idcard.insert(sims.cards[2])
    wait_until(lambda: app.screens.current == "home", what="home")
    tap(app.screens.get_screen("home").tile(SOCIAL_SECURITY))  # the service used: one journal row
    wait_until(lambda: app.screens.current == "ss_status"
               and app.controller.notice != "common.loading", what="the answer")
    app.controller.cancel()
    wait_until(lambda: app.screens.current == "attract", what="back to attract")
    sims.idcard.remove()
    wait_until(lambda: app.health.store.backlog() > before, what="the record queued on disk")

    # The broker comes back on the same port: the record goes out, in order.
    world.broker.proc = subprocess.Popen(
        world.broker.proc.args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_until(lambda: app.health.connected.is_set(), timeout=40, what="reconnected")
    wait_until(lambda: app.health.store.backlog() == 0, what="the outbox drained")

    last_use = app.journal._run("SELECT MAX(id) FROM transactions").fetchone()[0]
    cursor = app.health.store.get("journal_cursor")
    assert cursor["use"] == last_use  # the row went from the journal to the outbox

    def use_seen() -> bool:
        return any(t.endswith("/txn") and json.loads(p)["service"] == "ss.insurance_status"
                   for t, p, _r in world.messages[first_message:])
    wait_until(use_seen, timeout=20, what="the record at the console's side")
