"""Every new screen in English, photographed for a person to look at (layout at 540x960:
the longer English texts must fit as the Chinese ones do)."""

from __future__ import annotations

import pytest

from backend.citizens import DEMO_CITIZENS
from kiosk.departments.cases import DEPARTMENT as CASES
from kiosk.departments.guides import DEPARTMENT as GUIDES
from kiosk.departments.queue import DEPARTMENT as QUEUE
from kiosk.departments.traffic import DEPARTMENT as TRAFFIC
from tests.robot.kivy_robot import screenshot, tap, wait_until
from tests.robot.steps import identify
from tests.robot.world import SHOTS

pytestmark = pytest.mark.robot
DRIVER = DEMO_CITIZENS[0]


def test_english_tour(patient):
    world = patient
    app = world.app
    identify(world, DRIVER)
    tap(app.root_widget.ids.lang_button)
    wait_until(lambda: app.lang == "en")
    try:
        home = app.screens.get_screen("home")
        wait_until(lambda: home.tile(TRAFFIC).sub == "Violations · fines · points",
                   what="English home")
        wait_until(lambda: home.tile(QUEUE).sub == "Pick a service · print a ticket",
                   what="queue tile")
        screenshot(SHOTS, "en-home")

        tap(home.tile(TRAFFIC))
        traffic = app.screens.get_screen("traffic")
        wait_until(lambda: traffic.has_licence, what="licence")
        assert traffic.status == "Valid"
        screenshot(SHOTS, "en-traffic")
        tap(traffic.ids.licence_button)
        records = app.screens.get_screen("records")
        wait_until(lambda: app.screens.current == "records" and records.ids.rv.data,
                   what="violations")
        # The back end's places come in English too (the plates stay as they are written).
        details = [row["detail"] for row in records.ids.rv.data]
        assert details and all(d.rsplit(" · ", 1)[-1].isascii() for d in details)
        screenshot(SHOTS, "en-violations")
        tap(records.ids.back_button)
        wait_until(lambda: app.screens.current == "traffic", what="traffic")
        tap(traffic.ids.plate_button)
        wait_until(lambda: app.screens.current == "plate_entry", what="plate entry")
        screenshot(SHOTS, "en-plate-entry")

        app.show("home")
        tap(home.tile(CASES))
        entry = app.screens.get_screen("case_entry")
        wait_until(lambda: app.screens.current == "case_entry", what="case entry")
        for digit in "202611100003":
            tap(entry.ids.keypad.button(digit))
        tap(entry.ids.search_button)
        wait_until(lambda: app.screens.current == "records" and len(records.ids.rv.data) == 3,
                   what="case stages")
        assert records.ids.rv.data[1]["value"] == "Red: overdue"
        assert "Planning and Natural Resources Bureau" in records.summary
        screenshot(SHOTS, "en-case-progress")

        app.show("home")
        tap(home.tile(GUIDES))
        guides = app.screens.get_screen("guides")
        wait_until(lambda: guides.loaded, what="guides")
        for key in "LICNCE":
            tap(guides.ids.keypad.button(key))
        assert [b.text for b in guides.ids.results.children][-1] == "Renew a driving licence"
        screenshot(SHOTS, "en-guides")
    finally:
        tap(app.root_widget.ids.lang_button)
        wait_until(lambda: app.lang == "zh")
