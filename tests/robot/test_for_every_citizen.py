"""For every citizen: the call-staff button, elder mode and voice guidance, driven with
touches against the real broker, back end and espeak-ng (prompts written as WAV files:
no sound card here)."""

from __future__ import annotations

import json

import pytest

from backend.citizens import DEMO_CITIZENS
from kiosk import theme
from kiosk.departments.social_security import DEPARTMENT as SOCIAL_SECURITY
from tests.robot.world import SHOTS, assert_nothing_personal, personal_strings

pytestmark = pytest.mark.robot


def staff_events(world, since: int) -> list[dict]:
    return [json.loads(p) for t, p, _r in world.messages[since:]
            if t.endswith("/event") and json.loads(p).get("alarm") == "staff.call"]


def test_call_staff_raises_one_alarm_on_the_broker_and_clears_when_the_citizen_goes(patient):
    from tests.robot.kivy_robot import screenshot, tap, wait_until
    from tests.robot.steps import identify

    world = patient
    app = world.app
    citizen = DEMO_CITIZENS[0]
    first = len(world.messages)
    identify(world, citizen)
    staff_button = app.root_widget.ids.staff_button
    tap(staff_button)
    wait_until(lambda: staff_events(world, first), what="staff.call alarm on the broker")
    raised = staff_events(world, first)[0]
    assert raised["on"] is True and raised["severity"] == "yellow"
    assert app.staff_called and staff_button.text == app.t("staff.called")
    wait_until(lambda: app.staff_notice._window is not None, what="the notice")
    screenshot(SHOTS, "for-every-citizen-staff-called-zh")

    def health_has_call() -> bool:
        return any(t.endswith("/health") and "staff.call" in json.loads(p)["alarms"]
                   for t, p, _r in world.messages[first:])
    wait_until(health_has_call, what="staff.call in the retained health")
    for _ in range(19):  # twenty touches in all: still one alarm
        tap(app.staff_notice.ids.ok_button if app.staff_notice._window else staff_button)
    tap(app.root_widget.ids.lang_button)  # the notice may be open: dismiss, then switch
    if app.lang != "en":
        tap(app.root_widget.ids.lang_button)
    assert staff_button.text == "Staff called"
    app.health.poke()
    assert [e["on"] for e in staff_events(world, first)] == [True]

    app.controller.cancel()  # the citizen leaves: nobody is there to help any more
    wait_until(lambda: app.screens.current == "attract", what="back to attract")
    wait_until(lambda: [e["on"] for e in staff_events(world, first)] == [True, False],
               what="staff.call cleared on the broker")
    assert not app.staff_called and app.lang == "en"
    app.lang = "zh"
    assert_nothing_personal(app, citizen)
    for _t, payload, _r in world.messages[first:]:
        for secret in personal_strings(citizen):
            assert secret.encode() not in payload


def test_elder_mode_is_one_touch_away_and_ends_with_the_session(patient):
    from tests.robot.kivy_robot import screenshot, tap, wait_until
    from tests.robot.steps import identify

    world = patient
    app = world.app
    normal_height = app.screens.get_screen("home").tile(SOCIAL_SECURITY).font_size
    assert not app.elder and app.pal is theme.NORMAL
    identify(world, DEMO_CITIZENS[0])
    tap(app.root_widget.ids.elder_button)
    assert app.elder and app.pal is theme.ELDER
    assert app.fu == pytest.approx(app.u * theme.ELDER_SCALE)
    home = app.screens.get_screen("home")
    assert home.tile(SOCIAL_SECURITY).font_size == pytest.approx(normal_height * theme.ELDER_SCALE)
    assert list(home.tile(SOCIAL_SECURITY).background_color) == list(theme.ELDER.primary)
    # The paper behind every screen is the window's clear colour (screens/base.py).
    from kivy.core.window import Window

    assert list(Window.clearcolor) == list(theme.ELDER.paper)
    screenshot(SHOTS, "for-every-citizen-elder-home")
    tap(home.tile(SOCIAL_SECURITY))
    wait_until(lambda: app.screens.current == "ss_status", what="still elder on the next screen")
    assert app.elder
    app.controller.cancel()
    wait_until(lambda: app.screens.current == "attract", what="back to attract")
    assert not app.elder and app.pal is theme.NORMAL  # the next citizen starts normal
    assert list(Window.clearcolor) == list(theme.NORMAL.paper)


def test_voice_guides_the_citizen_and_never_speaks_anything_personal(patient):
    from tests.robot.kivy_robot import tap, wait_until
    from tests.robot.steps import identify

    world = patient
    app = world.app
    citizen = DEMO_CITIZENS[0]
    voice = app.voice
    assert voice.active, "espeak-ng is installed by make setup"
    before = set(voice.written)  # a bounded deque: compare files, not positions

    def new_wav(part: str):
        return next((p for p in list(voice.written) if p not in before and part in p.name), None)
    identify(world, citizen)
    wait_until(lambda: new_wav("-home-zh"), what="the home prompt as a WAV file")
    assert new_wav("-home-zh").stat().st_size > 20_000  # real speech, not a header
    tap(app.root_widget.ids.lang_button)  # the screen's prompt again, in English
    wait_until(lambda: new_wav("-home-en"), what="the home prompt in English")
    tap(app.root_widget.ids.lang_button)
    app.controller.cancel()
    wait_until(lambda: voice.spoken and voice.spoken[-1][0] == "voice.ended",
               what="the session-ended prompt")
    wait_until(lambda: app.screens.current == "attract", what="back to attract")
    spoken = [text for _k, _l, text in voice.spoken]
    for secret in personal_strings(citizen):
        assert all(secret not in text for text in spoken)
    assert_nothing_personal(app, citizen)


def test_a_call_from_the_attract_screen_clears_after_its_time(patient, monkeypatch):
    import ui.app
    from tests.robot.kivy_robot import tap, wait_until

    world = patient
    app = world.app
    first = len(world.messages)
    wait_until(lambda: app.screens.current == "attract", what="attract screen")
    tap(app.root_widget.ids.staff_button)  # the header, not the screen: no session starts
    assert app.session.phase.value == "idle" and app.staff_called
    wait_until(lambda: [e["on"] for e in staff_events(world, first)] == [True],
               what="staff.call raised on the broker")
    app.staff_notice.dismiss()
    monkeypatch.setattr(ui.app, "STAFF_CALL_IDLE_S", 0)  # "5 minutes later"
    wait_until(lambda: not app.staff_called, what="the call to clear with no session")
    wait_until(lambda: [e["on"] for e in staff_events(world, first)] == [True, False],
               what="staff.call cleared on the broker")
