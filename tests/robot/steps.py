"""Steps most robot tests share: start a session with a demo card, end it."""

from __future__ import annotations

from tests.robot.kivy_robot import tap, tap_at, wait_until


def identify(world, citizen) -> None:
    """From the attract screen to home, with ``citizen``'s ID card on the reader."""
    app, sims = world.app, world.sims
    wait_until(lambda: app.screens.current == "attract", what="attract screen")
    wait_until(lambda: app.hub.statuses["idcard"].usable, what="ID card reader online")
    tap_at(app.root_widget.center_x, app.root_widget.height * 0.3)
    wait_until(lambda: app.screens.current == "identify", what="identify screen")
    card = next(c for c in sims.cards if c.id_number == citizen.id_number)
    sims.idcard.insert(card)
    wait_until(lambda: app.screens.current == "home", what="home after the card was read")


def finish_with_rating(world, screen: str) -> None:
    """Tap 办理完成 on ``screen``, rate 5, wait for the thanks screen.

    On a loaded machine the frames a tap waits for may outlast the thanks screen
    (``session.thanks_s``): the session rated and back at the attract screen counts too.
    """
    app = world.app
    tap(app.screens.get_screen(screen).ids.finish_button)
    wait_until(lambda: app.screens.current == "rating", what="rating screen")
    tap(app.screens.get_screen("rating").ids.rate_5)
    wait_until(lambda: app.session.end_reason == "rated"
               and app.screens.current in ("ended", "attract"), what="thanks screen")


def back_to_attract(world) -> None:
    app = world.app
    if app.session.phase.value not in ("idle", "ended"):
        app.controller.cancel()
    wait_until(lambda: app.screens.current == "attract", what="back to attract")
    world.sims.idcard.remove()
