"""好差评: a low rating asks why; the reasons picked reach the back end's database."""

from __future__ import annotations

import json
import sqlite3

import pytest

from backend.citizens import DEMO_CITIZENS
from kiosk.departments.social_security import DEPARTMENT as SOCIAL_SECURITY
from tests.robot.kivy_robot import screenshot, tap, wait_until
from tests.robot.steps import identify
from tests.robot.world import SHOTS

pytestmark = pytest.mark.robot
CITIZEN = DEMO_CITIZENS[3]


def stored_ratings(world) -> list[tuple]:
    with sqlite3.connect(world.tmp / "backend.sqlite") as db:
        return db.execute("SELECT rating_ref, service, score, reasons FROM ratings").fetchall()


def test_a_low_rating_with_reasons_reaches_the_back_end(patient):
    world = patient
    app = world.app
    identify(world, CITIZEN)
    ref = app.session.ref
    home = app.screens.get_screen("home")
    tap(home.tile(SOCIAL_SECURITY))
    ss = app.screens.get_screen("ss_status")
    wait_until(lambda: app.screens.current == "ss_status" and ss.loaded, what="insurance")
    tap(ss.ids.finish_button)
    rating = app.screens.get_screen("rating")
    wait_until(lambda: app.screens.current == "rating", what="rating")

    tap(rating.ids.rate_2)  # 不满意: the reasons come up, nothing is sent yet
    wait_until(lambda: rating.low_score == 2, what="the reasons")
    reasons = {b.code: b for b in rating.ids.reasons_box.children}
    assert reasons["slow"].text == "办理时间太长" and len(reasons) == 6  # none picked yet
    assert rating.ids.submit_button.disabled  # at least one reason first
    tap(reasons["slow"])
    tap(reasons["unclear"])
    tap(reasons["device"])
    tap(reasons["device"])  # changed their mind
    assert rating.chosen == ["slow", "unclear"]
    assert [b.picked for b in (reasons["slow"], reasons["device"])] == [True, False]
    assert tuple(reasons["device"].background_color) != tuple(reasons["slow"].background_color)
    assert reasons["slow"].text == "✓  办理时间太长"
    assert reasons["device"].text == "设备故障或不好用"
    screenshot(SHOTS, "rating-reasons")
    tap(app.root_widget.ids.lang_button)
    wait_until(lambda: reasons["slow"].label == "It took too long", what="English reasons")
    screenshot(SHOTS, "en-rating-reasons")
    tap(app.root_widget.ids.lang_button)
    wait_until(lambda: app.lang == "zh")

    tap(rating.ids.submit_button)
    wait_until(lambda: app.screens.current in ("ended", "attract"), what="thanks")
    wait_until(lambda: any(r[0] == ref for r in stored_ratings(world)), timeout=20,
               what="the rating in the back end's database")
    row = next(r for r in stored_ratings(world) if r[0] == ref)
    assert row[1:3] == ("ss.insurance_status", 2)
    assert json.loads(row[3]) == ["slow", "unclear"]
    assert rating.low_score == 0 and rating.chosen == []  # the next citizen starts afresh
