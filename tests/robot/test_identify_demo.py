"""The demo identify screen offers every demo citizen (a scrolling row of cards named
by what is special about them, never by name), so a demo reaches every edge case."""

from __future__ import annotations

import pytest

from backend.citizens import DEMO_CITIZENS
from tests.robot.kivy_robot import frames, screenshot, tap, tap_at, wait_until
from tests.robot.world import SHOTS, assert_nothing_personal

pytestmark = pytest.mark.robot


def test_every_demo_citizen_is_one_touch_away(patient):
    world = patient
    app = world.app
    wait_until(lambda: app.hub.statuses["idcard"].usable, what="ID card reader online")
    tap_at(app.root_widget.center_x, app.root_widget.height * 0.3)
    wait_until(lambda: app.screens.current == "identify", what="identify screen")
    identify = app.screens.get_screen("identify")
    buttons = list(reversed(identify.ids.demo_box.children))
    assert len(buttons) == len(DEMO_CITIZENS) == 10
    assert buttons[8].text == "9\n社保卡已挂失" and buttons[3].text == "4\n公积金冻结"
    screenshot(SHOTS, "identify-demo-cards")

    identify.ids.demo_scroll.scroll_x = 1  # the end of the row, as a swipe would leave it
    frames(5)
    lost_card = buttons[8]
    tap(lost_card)
    wait_until(lambda: app.screens.current == "home", what="home")
    assert app.session.citizen.id_number == DEMO_CITIZENS[8].id_number
    app.controller.cancel()
    wait_until(lambda: app.screens.current in ("ended", "attract"), what="ended")
    assert_nothing_personal(app, DEMO_CITIZENS[8])
