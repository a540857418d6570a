"""The robot tests' world: one real app for the whole run, and the privacy check.

Kivy has one window per process and its rules load once, so every robot module
shares the app that ``tests/robot/conftest.py`` starts; each test starts from the
attract screen and leaves the kiosk there.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt

from common.command_signing import terminal_key
from kiosk.config import load_config

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "var" / "screenshots" / "robot"
FLEET_KEY = b"robot-test-fleet-key-0123456789ab"
TERMINAL_KEY = terminal_key(FLEET_KEY, "SZFT-0001")


@dataclass
class World:
    app: object
    sims: object
    backend_url: str
    messages: list
    tmp: Path
    broker: object = None  # tests may stop and restart it


def build_config(tmp: Path, backend_url: str, broker_port: int):
    base = load_config(REPO / "config" / "kiosk.toml")
    return base.model_copy(update={
        "session": base.session.model_copy(
            update={"idle_timeout_s": 10, "warning_s": 5, "thanks_s": 1}
        ),
        "backend": base.backend.model_copy(
            update={"url": backend_url, "failure_threshold": 1, "probe_interval_s": 0.5}
        ),
        "devices": base.devices.model_copy(update={
            "printer": base.devices.printer.model_copy(update={"status_poll_s": 0.3}),
        }),
        "broker": base.broker.model_copy(update={"port": broker_port, "heartbeat_s": 1}),
        "paths": base.paths.model_copy(update={"data_dir": tmp}),
        "fleet": base.fleet.model_copy(update={"command_key": TERMINAL_KEY.hex()}),
        # No sound card on a test machine: each prompt goes to a WAV file under tmp.
        "voice": base.voice.model_copy(update={"output": "wav"}),
    })


@contextlib.contextmanager
def running_kiosk(tmp: Path, *, sscard: bool = True,
                  window: tuple[int, int] | None = None) -> Iterator[World]:
    """The real kiosk app (built, not yet run) with a broker, the back end over HTTP and
    the simulators; everything that started is stopped on exit, even when a part fails.

    ``sscard=False`` leaves pcscd and the social security card reader out, so that a
    benchmark does not wait for the machine-wide pcscd lock (tests/helpers/pcscd.py).
    ``window``: the display's size in pixels, if not the configured 540x960.
    Call ``ui.kivy_setup.prepare_kivy`` before anything imports Kivy's window.
    """
    from tests.helpers.backend_proc import start_backend, stop
    from tests.helpers.broker import start_broker
    from tests.helpers.pcscd import VPCD_PORT, Pcscd
    from ui.kivy_setup import prepare_kivy
    from ui.simulate import start_simulators

    with contextlib.ExitStack() as cleanup:  # whatever started is stopped, even on failure
        vpcd_port = VPCD_PORT
        if sscard:
            pcscd = Pcscd(tmp).start()  # the social security card reader joins the demo
            cleanup.callback(pcscd.stop)
            vpcd_port = pcscd.port
        broker = start_broker(tmp)
        cleanup.callback(lambda: broker.stop())  # tests may restart the broker's process
        backend_url, backend_proc = start_backend(tmp)
        cleanup.callback(stop, backend_proc)
        messages: list = []
        watcher = watch_broker(broker.port, messages)
        cleanup.callback(watcher.loop_stop)
        config = build_config(tmp, backend_url, broker.port)
        if not sscard:
            config = config.model_copy(
                update={"devices": config.devices.model_copy(update={"sscard": None})})
        if window is not None:
            config = config.model_copy(update={"display": config.display.model_copy(
                update={"width": window[0], "height": window[1]})})
        config, sims = start_simulators(config, vpcd_port)
        cleanup.callback(sims.stop)
        assert not sscard or (config.devices.sscard is not None and sims.sscards)
        prepare_kivy(config)
        from ui.app import KioskApp  # imports Kivy's window: after prepare_kivy

        app = KioskApp(config, simulators=sims)
        app._run_prepare()
        cleanup.callback(app.stop)
        yield World(app, sims, backend_url, messages, tmp, broker)


def watch_broker(port: int, messages: list) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="robot-watcher")
    subscribed = threading.Event()
    client.on_connect = lambda c, *_a: c.subscribe("kiosk/v1/#", qos=1)
    client.on_subscribe = lambda *_a: subscribed.set()
    client.on_message = lambda _c, _u, m: messages.append((m.topic, m.payload, m.retain))
    client.connect("127.0.0.1", port)
    client.loop_start()
    assert subscribed.wait(10), "test subscriber could not subscribe"
    return client


def personal_strings(citizen) -> list[str]:
    from screens.home import mask_name

    return [citizen.name, mask_name(citizen.name), citizen.id_number, citizen.address,
            citizen.birth]


def recycled_views(root) -> Iterator:
    """Row widgets a RecycleView keeps out of the widget tree: dirty and cached views."""
    from kivy.uix.recycleview import RecycleView
    from kivy.uix.recycleview import views as rv_views

    for widget in root.walk(restrict=True):
        if isinstance(widget, RecycleView):
            adapter = widget.view_adapter
            yield from adapter.views.values()
            for dirty in adapter.dirty_views.values():
                yield from dirty.values()
    for cached in list(rv_views._cached_views.values()):
        yield from cached


def shown_texts(app) -> list[str]:
    """Every text any screen, dialog or recycled row widget holds, shown or not."""
    from tests.robot.kivy_robot import texts_in

    shown = []
    for screen in app.screens.screens:
        shown += texts_in(screen)
        for view in recycled_views(screen):
            shown += texts_in(view)
    return shown + texts_in(app.timeout_dialog) + texts_in(app.root_widget)


def assert_nothing_personal(app, citizen, extra: tuple[str, ...] = ()) -> None:
    """``extra``: more personal strings of this test, e.g. a plate number typed in."""
    assert app.session.citizen is None
    assert app.session.states == {}
    shown = shown_texts(app)
    for secret in [*personal_strings(citizen), *extra]:
        leaks = [t for t in shown if secret in t]
        assert leaks == [], f"personal data left on screen: {leaks!r}"
