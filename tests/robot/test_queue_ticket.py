"""排队取号 end to end: business types from the back end, the number from the queue
simulator over its real pty, the ticket printed and decoded from the printer
simulator's bytes (in an English session with English under the Chinese); and the
tile saying why when the device or the back end fails."""

from __future__ import annotations

import re

import httpx
import pytest
import zxingcpp

from backend.citizens import DEMO_CITIZENS
from drivers.printer.protocol import EscPosParser, render_pages
from kiosk.departments.queue import DEPARTMENT as QUEUE
from tests.robot.kivy_robot import screenshot, tap, wait_until
from tests.robot.steps import back_to_attract, identify
from tests.robot.world import SHOTS, assert_nothing_personal

pytestmark = pytest.mark.robot
CITIZEN = DEMO_CITIZENS[0]
# What the ticket's QR code holds, in either language; the group is the ticket's number.
TICKET_URL = re.compile(
    r"https://hall\.example\.gov\.cn/queue\?site=futian-hall&day=\d{8}&ticket=([A-Z]\d{3})")


def business_buttons(queue) -> list:
    return list(reversed(queue.ids.types_box.children))  # top to bottom


def open_queue(world):
    app = world.app
    home = app.screens.get_screen("home")
    wait_until(lambda: home.tile(QUEUE).enabled, what="the queue tile available")
    tap(home.tile(QUEUE))
    queue = app.screens.get_screen("queue")
    wait_until(lambda: app.screens.current == "queue" and len(business_buttons(queue)) == 4,
               what="business types")
    return queue


def printed_page(sims, before: int):
    """The ticket the printer simulator received after ``before`` jobs, decoded from its
    bytes, and the text of its one QR code."""
    job = sims.printer.wait_for_jobs(before + 1, timeout=30)[before]
    pages = render_pages(EscPosParser().feed(bytes(job.data)))
    assert len(pages) == 1 and pages[0].width == 576
    codes = zxingcpp.read_barcodes(pages[0].convert("L"))
    assert len(codes) == 1
    return pages[0], codes[0].text


def test_a_ticket_is_issued_printed_and_shown(patient):
    world = patient
    app, sims = world.app, world.sims
    identify(world, CITIZEN)
    queue = open_queue(world)
    first = business_buttons(queue)[2]
    assert "公安交警" in first.text and "等候 11 人" in first.text and "6-8号窗口" in first.text
    screenshot(SHOTS, "queue-types")

    before = len(sims.printer.jobs)
    tap(first)
    wait_until(lambda: queue.state == "issued", timeout=30, what="the ticket")
    assert sims.queue.waiting(3)[-1] == queue.number  # issued by the device, on its line
    # The demo's device had the back end's 11 people in line: the ticket agrees.
    assert queue.number == "C012" and "您前面还有 11 人" in queue.detail
    assert queue.message == "请取走号票，留意叫号"
    screenshot(SHOTS, "queue-ticket")

    page, url = printed_page(sims, before)
    assert url.endswith(f"&ticket={queue.number}") and "site=futian-hall" in url
    page.save(SHOTS / "printed-queue-ticket.png")

    tap(queue.ids.finish_button)
    wait_until(lambda: app.screens.current == "rating", what="rating")
    tap(app.screens.get_screen("rating").ids.rate_5)
    wait_until(lambda: app.screens.current in ("ended", "attract"), what="ended")
    assert app.journal.stats()["queue.ticket"]["count"] >= 1
    assert_nothing_personal(app, CITIZEN)


def take_ticket(world, index: int):
    """Pick the business type at ``index``; the number shown and the printed ticket."""
    queue = open_queue(world)
    before = len(world.sims.printer.jobs)
    tap(business_buttons(queue)[index])
    wait_until(lambda: queue.state == "issued", timeout=30, what="the ticket")
    return queue.number, printed_page(world.sims, before)


def test_the_ticket_in_english(patient):
    """An English session's ticket carries English under its Chinese: taller than a
    Chinese session's ticket for the same business, with the same kind of QR link."""
    world = patient
    app = world.app
    identify(world, CITIZEN)
    zh_number, (chinese, zh_url) = take_ticket(world, 1)
    back_to_attract(world)

    identify(world, CITIZEN)
    tap(app.root_widget.ids.lang_button)
    wait_until(lambda: app.lang == "en")
    try:
        queue = open_queue(world)
        assert "Housing fund" in business_buttons(queue)[1].text
        screenshot(SHOTS, "en-queue-types")
        before = len(world.sims.printer.jobs)
        tap(business_buttons(queue)[1])
        wait_until(lambda: queue.state == "issued", timeout=30, what="the ticket")
        assert "ahead of you" in queue.detail
        screenshot(SHOTS, "en-queue-ticket")
        english, en_url = printed_page(world.sims, before)
    finally:
        tap(app.root_widget.ids.lang_button)
        wait_until(lambda: app.lang == "zh")
    english.save(SHOTS / "printed-queue-ticket-en.png")
    assert english.height > chinese.height + 100  # a line of English under each of six
    assert TICKET_URL.fullmatch(zh_url).group(1) == zh_number
    assert TICKET_URL.fullmatch(en_url).group(1) == queue.number != zh_number
    app.controller.cancel()


def test_device_out_of_paper_and_back_end_down_say_why(patient):
    world = patient
    app, sims = world.app, world.sims
    identify(world, CITIZEN)
    home = app.screens.get_screen("home")
    sims.queue.paper = "out"
    try:
        wait_until(lambda: not home.tile(QUEUE).enabled, timeout=15, what="the tile greyed out")
        assert "取号纸已用完" in home.tile(QUEUE).sub
        screenshot(SHOTS, "queue-tile-paper-out")
    finally:
        sims.queue.paper = "ok"
    wait_until(lambda: home.tile(QUEUE).enabled, timeout=15, what="the tile back")

    sims.queue.answering = False  # powered off behind a live cable
    try:
        wait_until(lambda: not home.tile(QUEUE).enabled, timeout=20,
                   what="the tile saying it is dead")
        assert home.tile(QUEUE).sub == "暂不可用（设备无应答）"
        screenshot(SHOTS, "queue-tile-device-dead")
    finally:
        sims.queue.answering = True
    wait_until(lambda: home.tile(QUEUE).enabled, timeout=30, what="the device answering again")

    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", timeout=5,
               json={"department": "queue", "mode": "down"})
    tap(home.tile(QUEUE))
    queue = app.screens.get_screen("queue")
    wait_until(lambda: queue.notice == "业务类型暂时无法获取，请稍后再试", timeout=20,
               what="the error on the queue screen")
    assert business_buttons(queue) == []
    tap(queue.ids.back_button)
    wait_until(lambda: not home.tile(QUEUE).enabled, what="the tile marked unavailable")
    assert home.tile(QUEUE).sub == "暂不可用（返回异常）"
    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", timeout=5,
               json={"department": "queue", "mode": "none"})
    wait_until(lambda: home.tile(QUEUE).enabled, timeout=15, what="the prober bringing it back")
    app.controller.cancel()


def test_a_number_that_did_not_print_is_still_shown(patient):
    world = patient
    app, sims = world.app, world.sims
    identify(world, CITIZEN)
    queue = open_queue(world)
    sims.printer.paper = "out"  # the fixture puts the paper back
    wait_until(lambda: not app.hub.statuses["printer"].usable, what="printer out of paper")
    tap(business_buttons(queue)[0])
    wait_until(lambda: queue.state == "issued", timeout=30, what="the number")
    assert queue.number.startswith("A") and queue.trouble
    assert queue.message == "凭条未能打印，请记住您的号码"
    screenshot(SHOTS, "queue-ticket-not-printed")
    app.controller.cancel()


def test_elder_mode_queue_screens(patient):
    world = patient
    app = world.app
    identify(world, CITIZEN)
    app.elder = True
    try:
        queue = open_queue(world)
        screenshot(SHOTS, "elder-queue-types")
        tap(business_buttons(queue)[3])
        wait_until(lambda: queue.state == "issued", timeout=30, what="the ticket")
        screenshot(SHOTS, "elder-queue-ticket")
    finally:
        app.elder = False
    app.controller.cancel()
