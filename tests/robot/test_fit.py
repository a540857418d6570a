"""Every screen fits both kiosk displays, in normal and elder mode, in zh and en, and
draws nothing a software renderer pays dearly for on every frame (fit.COSTLY).

The screens come from the screen manager (whatever is registered, so screens added
later are covered too), plus the call-staff notice. A screenshot of each goes to
var/screenshots/fit/.
"""

from __future__ import annotations

import pytest

from backend.citizens import DEMO_CITIZENS
from kiosk.departments.housing_fund import DEPARTMENT as HOUSING_FUND
from kiosk.departments.queue import DEPARTMENT as QUEUE
from kiosk.departments.social_security import DEPARTMENT as SOCIAL_SECURITY
from tests.robot.world import REPO

pytestmark = pytest.mark.robot
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
SHOTS = REPO / "var" / "screenshots" / "fit"


@pytest.mark.parametrize("orientation", list(SIZES))
def test_every_screen_fits_in_both_modes_and_languages(patient, orientation):
    from tests.robot.fit import costly_to_draw, misfits, set_window_size
    from tests.robot.kivy_robot import frames, tap, wait_until
    from tests.robot.steps import identify

    world = patient
    app = world.app
    identify(world, DEMO_CITIZENS[0])
    home = app.screens.get_screen("home")
    # Load the departments' answers, so their screens show real rows, not empty frames.
    screen = app.screens.get_screen
    tap(home.tile(SOCIAL_SECURITY))
    wait_until(lambda: screen("ss_status").loaded, what="insurance rows")
    tap(screen("ss_status").ids.card_button)
    wait_until(lambda: screen("ss_card").loaded, what="the card's status")
    for department, ready in (
        (HOUSING_FUND, lambda: screen("hf_account").loaded),
        (QUEUE, lambda: bool(screen("queue").ids.types_box.children)),
    ):
        app.show("home")
        tile = home.tile(department)
        wait_until(lambda tile=tile: tile.enabled, what=f"{department.key} available")
        tap(tile)
        wait_until(ready, what=f"{department.key} answered")
    problems: list[str] = []
    seen = 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        set_window_size(SIZES[orientation])
        for elder in (False, True):
            app.elder = elder
            for lang in ("zh", "en"):
                app.lang = lang
                # Every screen the kiosk knows, built already or built on first use.
                for name in [*app.screens.screen_names, *app.screens.unbuilt]:
                    app.session.touch()
                    app.screens.current = name
                    app.refresh()
                    frames(3)
                    where = f"{orientation}-{'elder' if elder else 'normal'}-{lang}-{name}"
                    found = misfits(app.root_widget, app.screens.current_screen)
                    problems += [f"{where}: {p}" for p in found]
                    problems += [f"{where}: {p}" for p in costly_to_draw(app.root_widget)]
                    # Through an Fbo: the offscreen window's own buffer keeps its first size.
                    app.root_widget.export_to_png(str(SHOTS / f"{where}.png"))
                    seen += 1
                # The call-staff notice opens over any screen.
                notice = app.staff_notice
                notice.open(animation=False)
                frames(3)
                where = f"{orientation}-{'elder' if elder else 'normal'}-{lang}-staff_notice"
                problems += [f"{where}: {p}" for p in misfits(notice)]
                notice.export_to_png(str(SHOTS / f"{where}.png"))
                notice.dismiss()
    finally:
        set_window_size((540, 960))
        app.elder, app.lang = False, "zh"
        app.controller.cancel()
    assert seen >= 2 * 2 * 14
    assert problems == [], "\n".join(problems)


def test_the_costly_check_sees_a_stencil_clip_and_a_triangle_fan():
    from kivy.graphics import RoundedRectangle
    from kivy.uix.scrollview import ScrollView
    from kivy.uix.widget import Widget

    from screens.clipping import ScissorScrollView
    from screens.shapes import RoundedBox
    from tests.robot.fit import costly_to_draw

    plain, fan = ScrollView(), Widget()
    with fan.canvas:
        RoundedRectangle(radius=[8])
    assert [p.split(" ")[1] for p in costly_to_draw(plain)] == ["StencilPush"]
    assert [p.split(" ")[1] for p in costly_to_draw(fan)] == ["RoundedRectangle"]
    assert costly_to_draw(ScissorScrollView()) == []
    box = Widget()
    with box.canvas:
        rounded = RoundedBox(radius=12.4, size=(200, 80))
    assert costly_to_draw(box) == []
    assert rounded.border == [12, 12, 12, 12] and rounded.texture.size == (26, 26)
