"""医保, driven with touches against the real back end, in Chinese, English and elder
mode: the status, a long spending list scrolled, the e-voucher QR code read back from
the screen, a 异地就医备案 filed once although its answer was lost, and the 参保凭证
printed and read back from the printer simulator."""

from __future__ import annotations

import sqlite3
import time
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import zxingcpp
from PIL import Image

from backend.citizens import find_citizen
from drivers.printer import protocol as escpos
from drivers.printer.protocol import EscPosParser, render_pages
from kiosk.departments import medical
from tests.robot.kivy_robot import drag, frames, screenshot, tap, wait_until
from tests.robot.steps import finish_with_rating, identify
from tests.robot.world import SHOTS, assert_nothing_personal

pytestmark = pytest.mark.robot
LONG = find_citizen("440303197006301234")  # 孙样例: 436 spending rows
RETIREE = find_citizen("440303196208152340")  # 李演示: filed to 长沙 already
NOT_INSURED = find_citizen("440305200305211236")  # 王测试
FILER = find_citizen("440305198301191231")  # 吴常规: files in this module
EMPLOYEE = find_citizen("440304198803121237")  # 张示例


def filings_of(world, id_number: str) -> int:
    with sqlite3.connect(world.tmp / "backend.sqlite") as db:
        return db.execute("SELECT COUNT(*) FROM mi_filings WHERE id_number = ?",
                          (id_number,)).fetchone()[0]


def fault(world, mode: str, seconds: float = 3.0) -> None:
    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", timeout=5,
               json={"department": "medical-insurance", "mode": mode, "seconds": seconds})


def switch_language(app, lang: str) -> None:
    if app.lang != lang:
        tap(app.root_widget.ids.lang_button)
        wait_until(lambda: app.lang == lang, what=f"language {lang}")


def open_status(world):
    app = world.app
    home = app.screens.get_screen("home")
    tile = home.tile(medical.DEPARTMENT)
    wait_until(lambda: tile.enabled, what="the medical insurance tile")
    tap(tile)
    status = app.screens.get_screen("mi_status")
    wait_until(lambda: app.screens.current == "mi_status" and status.loaded,
               what="medical insurance status")
    return status


def line(status, label: str) -> str:
    return dict(status.lines)[label]


def test_status_and_a_long_spending_list_scrolled_in_both_languages(patient):
    world = patient
    app = world.app
    identify(world, LONG)
    status = open_status(world)
    assert status.holder == "参保人：孙*例"
    assert line(status, "险种") == "职工基本医疗保险" and line(status, "人员类别") == "在职"
    assert line(status, "参保状态") == "正常参保" and line(status, "异地就医备案") == "未备案"
    assert status.can_account and status.can_voucher and status.can_file
    screenshot(SHOTS, "mi-status-zh")

    tap(status.ids.account_button)
    records = app.screens.get_screen("records")
    rv = records.ids.rv
    wait_until(lambda: app.screens.current == "records" and len(rv.data) == 436,
               what="436 spending rows")
    assert records.title == "医保个人账户" and "¥8,745.12" in records.summary
    assert "孙*例" in records.summary and records.count == "共 436 条"
    assert rv.data[0]["title"].startswith("2026-11-21")
    screenshot(SHOTS, "mi-spending-zh")
    def shown() -> set[int]:
        return {int(v.index) for v in rv.view_adapter.views.values()}

    tap(records.ids.page_down)
    wait_until(lambda: min(shown()) > 3, what="a page further down")
    page = shown()
    drag(rv, 600)  # a swipe up moves the list on, past the page seen before
    wait_until(lambda: min(shown()) > max(page), what="rows after a swipe")
    screenshot(SHOTS, "mi-spending-scrolled")
    switch_language(app, "en")
    try:
        wait_until(lambda: records.title == "Medical insurance account", what="English")
        assert "balance ¥8,745.12 (Normal)" in records.summary
        assert any(r["title"].endswith(("Pharmacy", "Outpatient", "Inpatient"))
                   for r in rv.data[:20])
        screenshot(SHOTS, "en-mi-spending")
        tap(records.ids.back_button)
        wait_until(lambda: app.screens.current == "mi_status", what="back to the status")
        assert line(status, "Scheme") == "Employee basic medical insurance"
        screenshot(SHOTS, "en-mi-status")
    finally:
        switch_language(app, "zh")
    finish_with_rating(world, "mi_status")
    assert_nothing_personal(app, LONG)


def decode_screen(name: str) -> list[str]:
    image = Image.open(screenshot(SHOTS, name)).convert("L")
    return [c.text for c in zxingcpp.read_barcodes(image)]


def test_the_e_voucher_qr_code_reads_back_and_is_claimed_once(patient):
    world = patient
    app = world.app
    identify(world, EMPLOYEE)
    status = open_status(world)
    tap(status.ids.voucher_button)
    voucher = app.screens.get_screen("mi_voucher")
    wait_until(lambda: app.screens.current == "mi_voucher" and voucher.qr is not None,
               what="the e-voucher QR code")
    assert voucher.countdown.startswith("二维码") and not voucher.expired
    assert decode_screen("mi-voucher-zh") == [voucher.payload]
    token = parse_qs(urlparse(voucher.payload).query)["t"][0]
    claim = f"{world.backend_url}/api/v1/_demo/e-voucher/{token}"
    assert httpx.post(claim, timeout=5).json()["claimed"] is True  # the citizen's phone
    assert httpx.post(claim, timeout=5).status_code == 409  # a photo of it is worth nothing
    first = voucher.payload
    switch_language(app, "en")
    try:
        tap(voucher.ids.refresh_button)
        wait_until(lambda: voucher.qr is not None and voucher.payload != first,
                   what="a fresh code")
        assert voucher.countdown.startswith("This code expires in")
        assert decode_screen("en-mi-voucher") == [voucher.payload]
    finally:
        switch_language(app, "zh")
    tap(voucher.ids.back_button)
    wait_until(lambda: app.screens.current == "mi_status", what="back to the status")
    app.controller.cancel()
    assert voucher.payload == "" and voucher.qr is None


def choose(filing, button) -> None:
    """Scroll the form to ``button`` (as a finger would), then tap it."""
    filing.ids.form_scroll.scroll_to(button, padding=10, animate=False)
    frames(3)
    tap(button)


def fill_in(world, filing, city: str, reason: str) -> None:
    choose(filing, filing.choice("cities", city))
    choose(filing, filing.choice("reasons", reason))
    choose(filing, filing.ids.starts_box.children[-1])  # today
    wait_until(lambda: filing.can_continue, what="a complete form")


def test_a_filing_is_made_once_although_its_answer_was_lost(patient):
    world = patient
    app = world.app
    identify(world, FILER)
    status = open_status(world)
    tap(status.ids.filing_button)
    filing = app.screens.get_screen("mi_filing")
    wait_until(lambda: app.screens.current == "mi_filing" and filing.loaded, what="the form")
    assert not filing.can_continue and filing.hint == "请选择就医地、备案类型和开始日期"
    fill_in(world, filing, "510100", "temporary")
    screenshot(SHOTS, "mi-filing-form-zh")
    tap(filing.ids.next_button)
    wait_until(lambda: filing.step == "confirm", what="the confirmation")
    assert dict(filing.confirm_lines)["就医地"] == "四川省成都市"
    screenshot(SHOTS, "mi-filing-confirm-zh")
    tap(filing.ids.change_button)  # a change of mind: back to the form, nothing filed
    wait_until(lambda: filing.step == "form", what="the form again")
    assert filings_of(world, FILER.id_number) == 0
    tap(filing.ids.next_button)
    wait_until(lambda: filing.step == "confirm", what="the confirmation again")

    fault(world, "late", 6.5)  # filed, but the answer comes after the kiosk's 5 s timeout
    tap(filing.ids.confirm_button)
    wait_until(lambda: filing.step == "sending", what="sending")
    time.sleep(1.0)
    fault(world, "none")
    wait_until(lambda: filing.step in ("filed", "not_done", "unknown"), timeout=30,
               what="the kiosk finding out")
    if filing.step != "filed":  # the status question failed too: sending again is safe
        screenshot(SHOTS, f"mi-filing-{filing.step}")
        assert filing.can_retry and "不会重复备案" in filing.headline
        wait_until(lambda: app.breakers.is_up("medical-insurance"), what="department back")
        tap(filing.ids.confirm_button)
        wait_until(lambda: filing.step == "filed", timeout=20, what="filed on the resend")
    assert filing.headline == "备案成功" and "四川省成都市" in filing.detail
    assert filings_of(world, FILER.id_number) == 1  # made once, never twice
    screenshot(SHOTS, "mi-filing-filed-zh")
    tap(filing.ids.back_button)
    wait_until(lambda: app.screens.current == "mi_status", what="back to the status")
    assert line(status, "异地就医备案") == "四川省成都市（临时外出就医）"
    assert not status.can_file
    stats = app.journal.stats()
    assert stats["mi.filing"]["count"] >= 1
    finish_with_rating(world, "mi_status")
    assert_nothing_personal(app, FILER)


def test_the_filing_form_in_english_and_who_cannot_file(patient):
    world = patient
    app = world.app
    identify(world, EMPLOYEE)
    switch_language(app, "en")
    try:
        status = open_status(world)
        tap(status.ids.filing_button)
        filing = app.screens.get_screen("mi_filing")
        wait_until(lambda: app.screens.current == "mi_filing" and filing.loaded,
                   what="the form")
        fill_in(world, filing, "440100", "long_term_residence")
        assert filing.choice("cities", "440100").text == "Guangzhou, Guangdong"
        screenshot(SHOTS, "en-mi-filing-form")
        tap(filing.ids.next_button)
        wait_until(lambda: filing.step == "confirm", what="the confirmation")
        assert ("", "Until changed (at a counter)") in [tuple(x) for x in filing.confirm_lines]
        screenshot(SHOTS, "en-mi-filing-confirm")
    finally:
        switch_language(app, "zh")
    app.controller.cancel()
    assert filings_of(world, EMPLOYEE.id_number) == 0


def test_the_certificate_is_printed_and_reads_back(patient):
    world = patient
    app, sims = world.app, world.sims
    identify(world, RETIREE)
    status = open_status(world)
    assert line(status, "异地就医备案") == "湖南省长沙市（异地长期居住）" and not status.can_file
    before = len(sims.printer.jobs)
    tap(status.ids.print_button)
    wait_until(lambda: app.screens.current == "printing", what="printing screen")
    job = sims.printer.wait_for_jobs(before + 1, timeout=30)[before]
    wait_until(lambda: app.controller.print_state == "done", what="print done")
    ops = EscPosParser().feed(bytes(job.data))
    text = "".join(op.text for op in ops if isinstance(op, escpos.Text))
    assert "基本医疗保险参保凭证" in text and "深圳市医疗保障局" in text
    assert "湖南省长沙市（异地长期居住）" in text
    page = render_pages(ops)[0]
    codes = [c.text for c in zxingcpp.read_barcodes(page.convert("L"))]
    assert len(codes) == 1 and "code=YB" in codes[0]
    code = codes[0].rsplit("=", 1)[-1]
    assert code in text
    check = httpx.get(f"{world.backend_url}/api/v1/certificates/{code}", timeout=5).json()
    assert check == {**check, "valid": True, "kind": "medical_insurance.enrolment"}
    page.save(SHOTS / "printed-mi-certificate.png")
    tap(app.screens.get_screen("printing").ids.finish_button)
    wait_until(lambda: app.screens.current == "rating", what="rating screen")
    tap(app.screens.get_screen("rating").ids.rate_5)
    wait_until(lambda: app.session.end_reason == "rated", what="rated")
    assert_nothing_personal(app, RETIREE)


def test_elder_mode_screens_and_a_citizen_not_insured(patient):
    world = patient
    app = world.app
    identify(world, NOT_INSURED)
    app.elder = True
    try:
        status = open_status(world)
        assert line(status, "参保状态") == "本年度未参保" and status.hint
        assert not (status.can_account or status.can_voucher or status.can_file
                    or status.can_print)
        screenshot(SHOTS, "elder-mi-status-not-insured")
        app.controller.cancel()
        wait_until(lambda: app.screens.current == "attract", what="back to attract")
        world.sims.idcard.remove()
        identify(world, EMPLOYEE)
        app.elder = True
        status = open_status(world)
        screenshot(SHOTS, "elder-mi-status")
        tap(status.ids.voucher_button)
        voucher = app.screens.get_screen("mi_voucher")
        wait_until(lambda: voucher.qr is not None, what="the QR code")
        assert decode_screen("elder-mi-voucher") == [voucher.payload]
        tap(voucher.ids.back_button)
        wait_until(lambda: app.screens.current == "mi_status", what="status")
        tap(status.ids.filing_button)
        filing = app.screens.get_screen("mi_filing")
        wait_until(lambda: app.screens.current == "mi_filing" and filing.loaded, what="form")
        fill_in(world, filing, "430100", "referral")
        screenshot(SHOTS, "elder-mi-filing-form")
        tap(filing.ids.next_button)
        wait_until(lambda: filing.step == "confirm", what="the confirmation")
        screenshot(SHOTS, "elder-mi-filing-confirm")
    finally:
        app.elder = False
    app.controller.cancel()
    assert filings_of(world, EMPLOYEE.id_number) == 0
