"""One real kiosk for every robot module (see world.py): broker, back end, simulators."""

from __future__ import annotations

import pytest

from kiosk.config import load_config
from tests.robot.world import REPO, running_kiosk
from ui.kivy_setup import prepare_kivy

# Kivy creates its window when something first imports kivy.core.window, and takes its
# size from the config at that moment: set it now, before any robot module is collected,
# so a module may import the robot helpers at its top and the window is still 540x960.
prepare_kivy(load_config(REPO / "config" / "kiosk.toml"))


@pytest.fixture(scope="session")
def world(tmp_path_factory):
    with running_kiosk(tmp_path_factory.mktemp("robot")) as world:
        yield world


@pytest.fixture
def patient(world):
    """A longer idle timeout for tests whose steps wait on back-end answers: a loaded
    machine must not end the session (and raise the countdown dialog) mid-test."""
    session = world.app.session
    before = session.config
    session.config = before.model_copy(update={"idle_timeout_s": 120, "warning_s": 10})
    try:
        yield world
    finally:
        session.config = before


@pytest.fixture(autouse=True)
def _leave_the_kiosk_idle(world):
    """Whatever a test did (or where it failed), the next one starts at the attract
    screen, with no card on the reader and no department faults."""
    yield
    import httpx

    from tests.robot.kivy_robot import wait_until

    app = world.app
    faults = httpx.post(f"{world.backend_url}/api/v1/_demo/faults",
                        json={"department": "none", "mode": "none"}, timeout=5).json()
    for department in faults["faults"]:
        httpx.post(f"{world.backend_url}/api/v1/_demo/faults",
                   json={"department": department, "mode": "none"}, timeout=5)
    world.sims.printer.paper = "ok"
    if app.session.phase.value not in ("idle", "ended"):
        app.controller.cancel()
    wait_until(lambda: app.screens.current == "attract", what="back to attract")
    world.sims.idcard.remove()
