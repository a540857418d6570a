"""The walking skeleton, driven like a citizen would, against real parts.

Real mosquitto, the demo back end over HTTP, the ID card and printer simulators on
real ptys speaking the exact protocol bytes, and the real Kivy app rendering
offscreen, driven with touch events. Screenshots of every screen go to
var/screenshots/robot/.
"""

from __future__ import annotations

import json

import httpx
import pytest
import zxingcpp

from backend.citizens import DEMO_CITIZENS
from drivers.printer.protocol import EscPosParser, render_pages
from tests.robot.world import SHOTS, assert_nothing_personal, personal_strings

pytestmark = pytest.mark.robot


def test_citizen_prints_an_insurance_certificate(world):
    from tests.robot.kivy_robot import frames, screenshot, tap, tap_at, wait_until

    app, sims = world.app, world.sims
    citizen = DEMO_CITIZENS[0]
    card = next(c for c in sims.cards if c.id_number == citizen.id_number)

    wait_until(lambda: app.screens.current == "attract", what="attract screen")
    wait_until(lambda: app.hub.statuses["idcard"].usable, what="ID card reader online")
    screenshot(SHOTS, "01-attract-zh")

    # The broker got the retained "online" state (and the Will is registered behind it).
    def online() -> bool:
        return any(t.endswith("/state") and json.loads(p)["state"] == "online"
                   for t, p, _r in world.messages)
    wait_until(online, what="online state on the broker")
    topic = next(t for t, p, _r in world.messages if t.endswith("/state"))
    assert topic == "kiosk/v1/futian-hall/SZFT-0001/state"

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

    tap(home.ids.tile_ss)
    ss = app.screens.get_screen("ss_status")
    wait_until(lambda: app.screens.current == "ss_status" and ss.can_print, what="insurance rows")
    assert len(ss.ids.rows_box.children) >= 1
    screenshot(SHOTS, "05-social-security")

    tap(ss.ids.print_button)
    wait_until(lambda: app.screens.current == "printing", what="printing screen")
    screenshot(SHOTS, "06-printing")
    job = sims.printer.wait_for_jobs(1, timeout=30)[0]
    wait_until(lambda: app.controller.print_state == "done", what="print done")
    screenshot(SHOTS, "07-printed")

    # Decode the raster from the captured ESC/POS bytes, as a printer would print it.
    parser = EscPosParser()
    pages = render_pages(parser.feed(bytes(job.data)))
    assert len(pages) == 1
    page = pages[0]
    assert page.width == 576 and page.height > 600
    codes = zxingcpp.read_barcodes(page.convert("L"))
    assert len(codes) == 1
    verify_url = codes[0].text
    code = verify_url.rsplit("=", 1)[-1]
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
    assert stats["ss.certificate"]["failed"] == 0 and stats["ss.certificate"]["count"] == 1
    wait_until(lambda: app.journal.pending_ratings() == [], what="rating delivered")
    assert app.journal.stats()["ss.certificate"]["mean_score"] == 5.0
    for part in world.tmp.glob("journal.sqlite*"):  # the database and its WAL
        for secret in personal_strings(citizen):
            assert secret.encode() not in part.read_bytes()

    # The heartbeat and every other message reached the broker without the citizen's identity.
    def heartbeat_seen() -> bool:
        return any(t.endswith("/heartbeat") for t, _p, _r in world.messages)
    wait_until(heartbeat_seen, what="a heartbeat")
    for _t, payload, _r in world.messages:
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
    tap(app.screens.get_screen("home").ids.tile_ss)
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
    tap(home.ids.tile_ss)
    ss = app.screens.get_screen("ss_status")
    wait_until(lambda: ss.notice == "社保服务暂时不可用，请稍后再试", what="error notice")
    assert len(ss.ids.rows_box.children) == 0
    app.show("home")
    wait_until(lambda: not home.ss_up, what="tile marked unavailable")
    assert home.ss_sub == "暂不可用（返回异常）"
    screenshot(SHOTS, "14-home-department-down")
    tap(home.ids.tile_ss)  # a disabled tile does nothing
    assert app.screens.current == "home"

    httpx.post(f"{world.backend_url}/api/v1/_demo/faults",
               json={**fault, "mode": "none"}, timeout=5)
    wait_until(lambda: home.ss_up, what="the prober bringing the department back")
    assert home.ss_sub == "参保查询 · 参保证明"
    app.controller.cancel()
    wait_until(lambda: app.screens.current == "attract", what="back to attract")
    sims.idcard.remove()
