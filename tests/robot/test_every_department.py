"""Every department with a home tile, from its declaration: its tile reads as declared
in zh and en, and opens its first screen, which speaks its voice prompt, in the normal
mode and in elder mode. A department added to the list is driven here with no new line."""

from __future__ import annotations

import pytest

from backend.citizens import DEMO_CITIZENS
from kiosk.departments import with_tiles
from tests.robot.kivy_robot import screenshot, tap, wait_until
from tests.robot.steps import identify
from tests.robot.world import SHOTS, assert_nothing_personal

pytestmark = pytest.mark.robot
CITIZEN = DEMO_CITIZENS[0]


def spoken(app, key: str, lang: str) -> bool:
    return any(k == key and lang_ == lang for k, lang_, _text in list(app.voice.spoken))


@pytest.mark.parametrize("department", with_tiles(), ids=lambda d: d.key)
def test_every_tile_opens_its_department_in_both_languages_and_elder_mode(patient, department):
    world = patient
    app = world.app
    identify(world, CITIZEN)
    home = app.screens.get_screen("home")
    first = department.first_screen
    try:
        for lang, elder in (("zh", False), ("en", True)):
            if app.lang != lang:
                tap(app.root_widget.ids.lang_button)
            if app.elder != elder:
                tap(app.root_widget.ids.elder_button)
            app.show("home")
            tile = home.tile(department)
            wait_until(lambda tile=tile, lang=lang: tile.enabled
                       and tile.title == department.tile.text(lang), what=f"{lang} tile")
            assert tile.sub == department.tile.sub(lang)
            app.voice.spoken.clear()
            tap(tile)
            wait_until(lambda: app.screens.current == first
                       and app.controller.notice != "common.loading", what=first)
            assert app.controller.notice == "", app.controller.notice
            wait_until(lambda lang=lang: spoken(app, department.voice_key(first), lang),
                       timeout=20, what=f"the {first} prompt in {lang}")
            screenshot(SHOTS, f"department-{department.key}-{lang}{'-elder' if elder else ''}")
    finally:
        if app.lang != "zh":
            tap(app.root_widget.ids.lang_button)
    app.controller.cancel()
    wait_until(lambda: app.screens.current == "attract", what="back to attract")
    assert not app.elder  # the next citizen starts in the normal mode
    assert_nothing_personal(app, CITIZEN)
