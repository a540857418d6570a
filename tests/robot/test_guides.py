"""办事指南 and 一件事 with touches against the real back end: a search typed on the
letter keypad with a typo and in the wrong word order, a guide's materials, the
restaurant bundle marking what the government already holds for this citizen."""

from __future__ import annotations

import httpx
import pytest

from backend.citizens import DEMO_CITIZENS
from kiosk.departments.guides import DEPARTMENT as GUIDES
from tests.robot.kivy_robot import screenshot, tap, wait_until
from tests.robot.steps import finish_with_rating, identify
from tests.robot.test_traffic import tap_row_action
from tests.robot.world import SHOTS, assert_nothing_personal

pytestmark = pytest.mark.robot
EMPLOYEE = DEMO_CITIZENS[0]  # insured, with a housing fund account
STUDENT = next(c for c in DEMO_CITIZENS if c.name == "王测试")  # nothing on record


def open_guides(world):
    app = world.app
    tap(app.screens.get_screen("home").tile(GUIDES))
    guides = app.screens.get_screen("guides")
    wait_until(lambda: app.screens.current == "guides" and guides.loaded, what="the catalog")
    return guides


def type_query(guides, text: str) -> None:
    for ch in text:
        tap(guides.ids.space_button if ch == " " else guides.ids.keypad.button(ch.upper()))


def results(guides) -> list[str]:
    return [b.text for b in reversed(guides.ids.results.children)]


def rows_of(app) -> list[dict]:
    return app.screens.get_screen("records").ids.rv.data


def test_search_forgives_typos_and_word_order(patient):
    world = patient
    app = world.app
    identify(world, EMPLOYEE)
    guides = open_guides(world)
    screenshot(SHOTS, "guides-start")
    type_query(guides, "tiqu gongjijn")  # words swapped, one letter missing
    assert results(guides)[0] == "住房公积金提取（租房）" and guides.notice == ""
    screenshot(SHOTS, "guides-search")
    tap(guides.ids.results.children[-1])  # the first result
    wait_until(lambda: app.screens.current == "records" and rows_of(app), what="the guide")
    assert [r["title"] for r in rows_of(app)] == ["居民身份证", "房屋租赁合同", "本人银行卡"]
    screenshot(SHOTS, "guides-guide")
    tap(app.screens.get_screen("records").ids.back_button)
    wait_until(lambda: app.screens.current == "guides", what="back to the search")
    for _ in range(len(guides.query)):
        tap(guides.ids.delete_button)
    type_query(guides, "xyzq")
    assert results(guides) == [] and guides.notice == "没有找到相关指南，请换个说法"
    finish_with_rating(world, "guides")
    assert_nothing_personal(app, EMPLOYEE)
    assert app.screens.get_screen("guides").query == ""


@pytest.mark.parametrize(("citizen", "held"), [(EMPLOYEE, 3), (STUDENT, 1)])
def test_the_restaurant_bundle_marks_what_the_government_holds(patient, citizen, held):
    world = patient
    app = world.app
    identify(world, citizen)
    guides = open_guides(world)
    tap(guides.ids.bundles_button)
    wait_until(lambda: app.screens.current == "records" and len(rows_of(app)) == 3,
               what="three bundles")
    tap_row_action(app, 0)
    records = app.screens.get_screen("records")
    wait_until(lambda: records.title == "一件事一次办" and len(rows_of(app)) == 16,
               what="seven steps and nine materials")
    marked = [r for r in rows_of(app) if r["value"] == "免提交"]
    assert len(marked) == held and marked[0]["title"] == "居民身份证"
    assert f"其中 {held} 项政府已掌握" in records.summary
    screenshot(SHOTS, f"guides-bundle-{held}-held")
    finish_with_rating(world, "records")
    assert_nothing_personal(app, citizen)


def test_guides_down(patient):
    world = patient
    app = world.app
    identify(world, EMPLOYEE)
    fault = {"department": "guides", "mode": "down"}
    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", json=fault, timeout=5)
    tap(app.screens.get_screen("home").tile(GUIDES))
    guides = app.screens.get_screen("guides")
    wait_until(lambda: guides.notice == "办事指南暂时不可用，请稍后再试", what="the notice")
    assert not guides.loaded and guides.ids.bundles_button.disabled
    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", json={**fault, "mode": "none"},
               timeout=5)
    home = app.screens.get_screen("home")
    wait_until(lambda: home.tile(GUIDES).enabled, what="the prober bringing it back")
