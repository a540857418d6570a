"""社保 histories driven with touches against the real back end: a career of 401
months scrolls on the records screen, a retiree's pension payments, and the
department failing in each way the citizen can meet."""

from __future__ import annotations

import httpx
import pytest

from backend.citizens import DEMO_CITIZENS
from kiosk.departments.social_security import DEPARTMENT as SOCIAL_SECURITY
from tests.robot.kivy_robot import screenshot, tap, wait_until
from tests.robot.steps import finish_with_rating, identify
from tests.robot.world import SHOTS, assert_nothing_personal

pytestmark = pytest.mark.robot
LONG_CAREER = next(c for c in DEMO_CITIZENS if c.name == "孙样例")
RETIREE = next(c for c in DEMO_CITIZENS if c.name == "李演示")
SS_DOWN = "社保服务暂时不可用，请稍后再试"


def open_ss(world):
    app = world.app
    tap(app.screens.get_screen("home").tile(SOCIAL_SECURITY))
    ss = app.screens.get_screen("ss_status")
    wait_until(lambda: app.screens.current == "ss_status" and ss.loaded, what="insurance status")
    return ss


def rows_of(app) -> list[dict]:
    return app.screens.get_screen("records").ids.rv.data


def test_a_long_contribution_history_in_both_languages(patient):
    world = patient
    app = world.app
    identify(world, LONG_CAREER)
    ss = open_ss(world)
    screenshot(SHOTS, "ss-status-with-history-buttons")
    tap(ss.ids.contrib_button)
    records = app.screens.get_screen("records")
    wait_until(lambda: app.screens.current == "records" and len(rows_of(app)) == 401,
               what="401 contribution months")
    assert rows_of(app)[0]["title"] == "2026-10" and rows_of(app)[-1]["title"] == "1993-06"
    assert records.title == "社保缴费记录" and "孙*例" in records.summary
    assert records.count == "共 401 条"
    screenshot(SHOTS, "ss-contributions-zh")
    tap(app.root_widget.ids.lang_button)
    wait_until(lambda: records.title == "Contribution history", what="English")
    assert rows_of(app)[0]["detail"].startswith("Employer ")
    screenshot(SHOTS, "ss-contributions-en")
    tap(app.root_widget.ids.lang_button)
    wait_until(lambda: records.title == "社保缴费记录", what="Chinese again")
    tap(records.ids.page_down)
    tap(records.ids.back_button)
    wait_until(lambda: app.screens.current == "ss_status", what="back to the status")
    finish_with_rating(world, "ss_status")
    assert_nothing_personal(app, LONG_CAREER)


def test_a_retiree_sees_pension_payments(patient):
    world = patient
    app = world.app
    identify(world, RETIREE)
    ss = open_ss(world)
    tap(ss.ids.pension_button)
    wait_until(lambda: len(rows_of(app)) == 171, what="pension payments")
    records = app.screens.get_screen("records")
    assert records.title == "养老金发放记录" and "3,850.00" in records.summary
    screenshot(SHOTS, "ss-pensions")
    finish_with_rating(world, "records")
    assert_nothing_personal(app, RETIREE)


@pytest.mark.parametrize(("mode", "seconds"), [("down", 0), ("garbage", 0), ("slow", 6.5)])
def test_a_failing_department_says_so_and_comes_back(patient, mode, seconds):
    world = patient
    app = world.app
    identify(world, RETIREE)
    ss = open_ss(world)
    fault = {"department": "social-security", "mode": mode, "seconds": seconds}
    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", json=fault, timeout=5)
    tap(ss.ids.pension_button)
    records = app.screens.get_screen("records")
    wait_until(lambda: records.notice == SS_DOWN, timeout=20, what=f"the {mode} notice")
    assert rows_of(app) == [] and records.count == ""
    screenshot(SHOTS, f"ss-pensions-{mode}")
    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", json={**fault, "mode": "none"},
               timeout=5)
    wait_until(lambda: app.breakers.is_up("social-security"), what="the department back")
    tap(records.ids.back_button)
    wait_until(lambda: app.screens.current == "ss_status", what="back to the status")
    tap(ss.ids.pension_button)
    wait_until(lambda: len(rows_of(app)) == 171, what="pension payments after the fault")
    assert records.notice == ""
    app.controller.cancel()
    wait_until(lambda: app.screens.current in ("ended", "attract"), what="session ended")
    assert_nothing_personal(app, RETIREE)
