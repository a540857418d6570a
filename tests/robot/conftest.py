"""One real kiosk for every robot module (see world.py): broker, back end, simulators."""

from __future__ import annotations

import contextlib

import pytest

from kiosk.config import load_config
from kiosk.kivy_setup import prepare_kivy
from tests.helpers.backend_proc import start_backend, stop
from tests.helpers.broker import start_broker
from tests.helpers.pcscd import Pcscd
from tests.robot.world import REPO, World, build_config, watch_broker

# Kivy creates its window when something first imports kivy.core.window, and takes its
# size from the config at that moment: set it now, before any robot module is collected,
# so a module may import the robot helpers at its top and the window is still 540x960.
prepare_kivy(load_config(REPO / "config" / "kiosk.toml"))


@pytest.fixture(scope="session")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("robot")
    with contextlib.ExitStack() as cleanup:  # whatever started is stopped, even on failure
        pcscd = Pcscd(tmp).start()  # the social security card reader joins the demo
        cleanup.callback(pcscd.stop)
        broker = start_broker(tmp)
        cleanup.callback(lambda: broker.stop())  # tests may restart the broker's process
        backend_url, backend_proc = start_backend(tmp)
        cleanup.callback(stop, backend_proc)
        messages: list = []
        watcher = watch_broker(broker.port, messages)
        cleanup.callback(watcher.loop_stop)
        from kiosk.simulate import start_simulators

        config, sims = start_simulators(
            build_config(tmp, backend_url, broker.port), pcscd.port
        )
        cleanup.callback(sims.stop)
        assert config.devices.sscard is not None and sims.sscards
        prepare_kivy(config)
        from kiosk.app import KioskApp  # imports Kivy's window: after prepare_kivy

        app = KioskApp(config, simulators=sims)
        app._run_prepare()
        cleanup.callback(app.stop)
        yield World(app, sims, backend_url, messages, tmp, broker)


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
