"""办事进度 with touches against the real back end: a case number on the keypad, its
three supervision stages with their lights, a number that does not exist, and the
service down."""

from __future__ import annotations

import httpx
import pytest

from backend.citizens import DEMO_CITIZENS
from kiosk.departments.cases import DEPARTMENT as CASES
from tests.robot.kivy_robot import screenshot, tap, wait_until
from tests.robot.steps import finish_with_rating, identify
from tests.robot.world import SHOTS, assert_nothing_personal

pytestmark = pytest.mark.robot
CITIZEN = DEMO_CITIZENS[0]


def open_cases(world):
    app = world.app
    home = app.screens.get_screen("home")
    wait_until(lambda: home.tile(CASES).enabled, what="case progress tile available")
    tap(home.tile(CASES))
    wait_until(lambda: app.screens.current == "case_entry", what="the case number screen")
    return app.screens.get_screen("case_entry")


def type_number(entry, number: str) -> None:
    for digit in number:
        tap(entry.ids.keypad.button(digit))


def rows_of(app) -> list[dict]:
    return app.screens.get_screen("records").ids.rv.data


@pytest.mark.parametrize(("number", "lights", "now"), [
    ("202611220001", ["ok", "", ""], "当前环节：受理 · 绿灯 正常"),
    ("202611180002", ["ok", "warn", ""], "当前环节：审查决定 · 黄灯 临近时限"),
    ("202611100003", ["ok", "bad", ""], "当前环节：审查决定 · 红灯 超时"),
    ("202610250006", ["ok", "ok", "warn"], "当前环节：办结送达 · 黄灯 临近时限"),
    ("202610200005", ["ok", "ok", "ok"], "当前环节：已办结 · 绿灯 正常"),
])
def test_a_case_in_each_stage_with_its_light(patient, number, lights, now):
    world = patient
    app = world.app
    identify(world, CITIZEN)
    entry = open_cases(world)
    type_number(entry, number)
    assert entry.shown == f"{number[:4]} {number[4:8]} {number[8:]}"
    tap(entry.ids.search_button)
    wait_until(lambda: app.screens.current == "records" and len(rows_of(app)) == 3,
               what="three stages")
    records = app.screens.get_screen("records")
    assert [r["tone"] for r in rows_of(app)] == lights
    assert [r["title"] for r in rows_of(app)] == ["1. 受理", "2. 审查决定", "3. 办结送达"]
    assert now in records.summary
    screenshot(SHOTS, f"case-{number}")
    finish_with_rating(world, "records")
    assert_nothing_personal(app, CITIZEN, extra=(number,))


def test_unknown_number_short_number_and_service_down(patient):
    world = patient
    app = world.app
    identify(world, CITIZEN)
    entry = open_cases(world)
    type_number(entry, "2026")
    assert entry.ids.search_button.disabled
    entry.search(app)  # a short number never reaches the back end
    assert entry.problem == "办件编号为12位数字"
    type_number(entry, "99990000")
    tap(entry.ids.search_button)
    records = app.screens.get_screen("records")
    wait_until(lambda: records.notice == "未查询到该办件，请核对编号", what="not found")
    screenshot(SHOTS, "case-not-found")
    tap(records.ids.back_button)
    wait_until(lambda: app.screens.current == "case_entry", what="back to the number")
    for _ in range(12):
        tap(entry.ids.delete_button)
    assert entry.number == ""
    screenshot(SHOTS, "case-entry-empty")
    fault = {"department": "cases", "mode": "down"}
    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", json=fault, timeout=5)
    type_number(entry, "202611220001")
    tap(entry.ids.search_button)
    wait_until(lambda: records.notice == "办件查询服务暂时不可用，请稍后再试", what="down notice")
    app.show("home")
    home = app.screens.get_screen("home")
    wait_until(lambda: not home.tile(CASES).enabled, what="tile unavailable")
    screenshot(SHOTS, "case-home-down")
    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", json={**fault, "mode": "none"},
               timeout=5)
    wait_until(lambda: home.tile(CASES).enabled, what="the prober bringing it back")
