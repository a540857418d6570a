"""社保卡状态 and 临时挂失, driven with touches against the real back end: a report
with its confirmation, a card already reported lost, and a lost answer that makes
the kiosk ask the card's status instead of reporting twice."""

from __future__ import annotations

import sqlite3
import time

import httpx
import pytest

from backend.citizens import find_citizen
from kiosk.departments.social_security import DEPARTMENT as SOCIAL_SECURITY
from tests.robot.kivy_robot import screenshot, tap, wait_until
from tests.robot.steps import finish_with_rating, identify
from tests.robot.world import SHOTS, assert_nothing_personal

pytestmark = pytest.mark.robot
NORMAL = find_citizen("440305198301191231")  # 吴常规: the card to report lost
LOST = find_citizen("440304199104051238")  # 周示范: reported lost two days ago
SLOW = find_citizen("44030719850917234X")  # 陈模拟: normal card, the answer gets lost
GARBAGE = find_citizen("440304193801061231")  # 刘虚构: normal card, garbage answers


def reports_for(world, id_number: str) -> int:
    with sqlite3.connect(world.tmp / "backend.sqlite") as db:
        return db.execute("SELECT COUNT(*) FROM ss_card_loss_reports WHERE id_number = ?",
                          (id_number,)).fetchone()[0]


def fault(world, mode: str, seconds: float = 3.0) -> None:
    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", timeout=5,
               json={"department": "social-security", "mode": mode, "seconds": seconds})


def open_card(world):
    app = world.app
    home = app.screens.get_screen("home")
    tap(home.tile(SOCIAL_SECURITY))
    ss = app.screens.get_screen("ss_status")
    wait_until(lambda: app.screens.current == "ss_status" and ss.loaded, what="insurance")
    tap(ss.ids.card_button)
    card = app.screens.get_screen("ss_card")
    wait_until(lambda: app.screens.current == "ss_card" and card.loaded, what="card status")
    return card


def test_a_card_reported_lost_after_confirmation(patient):
    world = patient
    app = world.app
    identify(world, NORMAL)
    card = open_card(world)
    assert (card.status, card.card_no, card.bank) == ("正常使用", "D440****9", "中国农业银行")
    assert card.holder == "持卡人：吴*规" and card.action == "临时挂失"
    screenshot(SHOTS, "sscard-normal")

    tap(card.ids.action_button)
    wait_until(lambda: card.step == "confirm", what="the confirmation")
    assert "D440****9" in card.message and "立即停止使用" in card.message
    assert card.action == "确认挂失"
    screenshot(SHOTS, "sscard-confirm")
    tap(card.ids.cancel_report_button)  # changed their mind: nothing happens
    wait_until(lambda: card.step == "status", what="back to the status")
    assert reports_for(world, NORMAL.id_number) == 0

    tap(card.ids.action_button)
    wait_until(lambda: card.step == "confirm", what="the confirmation again")
    tap(card.ids.action_button)
    wait_until(lambda: card.step == "reported", timeout=20, what="the report's answer")
    assert card.status == "临时挂失" and card.action == ""
    assert card.message.startswith("临时挂失成功。受理编号 GS")
    assert reports_for(world, NORMAL.id_number) == 1
    screenshot(SHOTS, "sscard-reported")
    stats = app.journal.stats()
    assert stats["ss.card_loss_report"]["count"] >= 1
    finish_with_rating(world, "ss_card")
    assert_nothing_personal(app, NORMAL, extra=("D440****9",))


def test_a_card_already_reported_lost_in_english(patient):
    world = patient
    app = world.app
    identify(world, LOST)
    tap(app.root_widget.ids.lang_button)
    wait_until(lambda: app.lang == "en")
    try:
        card = open_card(world)
        assert card.status == "Temporarily reported lost" and card.action == ""
        assert card.bank == "China Construction Bank" and "within 30 days" in card.note
        screenshot(SHOTS, "en-sscard-lost")
    finally:
        tap(app.root_widget.ids.lang_button)
        wait_until(lambda: app.lang == "zh")
    app.controller.cancel()


def test_a_lost_answer_asks_the_status_and_never_reports_twice(patient):
    world = patient
    app = world.app
    identify(world, SLOW)
    card = open_card(world)
    tap(card.ids.action_button)
    wait_until(lambda: card.step == "confirm", what="the confirmation")
    fault(world, "late", 6.5)  # the report is made, its answer comes after the 5 s timeout
    tap(card.ids.action_button)
    wait_until(lambda: card.step == "sending", what="sending")
    time.sleep(1.0)  # the report is on its way through the slow back end
    fault(world, "none")
    wait_until(lambda: card.step in ("reported", "unknown"), timeout=30,
               what="the kiosk finding out")
    if card.step == "unknown":  # the status question met the breaker: ask again
        screenshot(SHOTS, "sscard-unknown")
        assert card.action == "重新查询卡状态" and "请勿重复办理" in card.message
        wait_until(lambda: app.breakers.is_up("social-security"), what="department back")
        tap(card.ids.action_button)
        wait_until(lambda: card.step == "status" and card.loaded and card.status == "临时挂失",
                   timeout=20, what="the status asked again")
    assert card.status == "临时挂失"
    assert reports_for(world, SLOW.id_number) == 1  # made once, never twice
    app.controller.cancel()


def test_garbage_reports_nothing_and_the_citizen_may_try_again(patient):
    world = patient
    app = world.app
    identify(world, GARBAGE)
    card = open_card(world)
    tap(card.ids.action_button)
    wait_until(lambda: card.step == "confirm", what="the confirmation")
    fault(world, "garbage")
    tap(card.ids.action_button)
    wait_until(lambda: card.step == "unknown", timeout=20, what="outcome unknown")
    assert "请勿重复办理" in card.message and card.action == "重新查询卡状态"
    assert reports_for(world, GARBAGE.id_number) == 0
    fault(world, "none")
    wait_until(lambda: app.breakers.is_up("social-security"), what="department back")
    tap(card.ids.action_button)
    wait_until(lambda: card.step == "status" and card.loaded, timeout=20, what="status again")
    assert card.status == "正常使用" and card.action == "临时挂失"
    app.controller.cancel()
    wait_until(lambda: app.screens.current in ("ended", "attract"), what="session ended")
    assert_nothing_personal(app, GARBAGE)


def test_the_confirmation_in_english_and_a_change_of_mind(patient):
    world = patient
    app = world.app
    citizen = find_citizen("440304198803121237")  # 张示例: a card in normal use
    identify(world, citizen)
    tap(app.root_widget.ids.lang_button)
    wait_until(lambda: app.lang == "en")
    try:
        card = open_card(world)
        assert card.status == "In normal use" and card.action == "Report the card lost"
        screenshot(SHOTS, "en-sscard-normal")
        tap(card.ids.action_button)
        wait_until(lambda: card.step == "confirm", what="the confirmation")
        assert card.message.startswith("Report card D440****2 as lost?")
        screenshot(SHOTS, "en-sscard-confirm")
        tap(card.ids.cancel_report_button)
        wait_until(lambda: card.step == "status", what="changed their mind")
    finally:
        tap(app.root_widget.ids.lang_button)
        wait_until(lambda: app.lang == "zh")
    assert reports_for(world, citizen.id_number) == 0
    app.controller.cancel()


def test_elder_mode_card_screen(patient):
    world = patient
    app = world.app
    identify(world, LOST)
    app.elder = True
    try:
        card = open_card(world)
        assert card.status == "临时挂失"
        screenshot(SHOTS, "elder-sscard-lost")
    finally:
        app.elder = False
    app.controller.cancel()
