"""Composes the Kivy app. With ``kiosk.kivy_setup``, the only Kivy code in ``kiosk/``.

Importing this module creates Kivy's window: call ``kiosk.kivy_setup.prepare_kivy``
first.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.config import KioskConfig
from kiosk.controller import KioskController
from kiosk.devices import DeviceHub
from kiosk.fleet.link import start_fleet_link
from kiosk.flows import registry
from kiosk.flows.social_security import SocialSecurityFlow
from kiosk.i18n import Catalog
from kiosk.journal import Journal
from kiosk.services.breaker import BreakerBoard, DepartmentClient
from kiosk.services.gateway import BackendClient
from kiosk.services.ratings import RatingService
from kiosk.services.signing import SigningAuth
from kiosk.services.social_security import SocialSecurityService
from kiosk.session import Phase, Session
from kiosk.worker import Worker
from screens import build_root
from screens.timeout_dialog import TimeoutDialog

log = logging.getLogger(__name__)
DEPARTMENTS = ("social-security", *registry.DEPARTMENTS)  # those with a breaker
READY_MARKER = "ready: attract screen drawn"


def post(fn) -> None:
    """Run ``fn`` on the UI thread (safe to call from any thread)."""
    Clock.schedule_once(lambda _dt: fn(), 0)


class KioskApp(App):
    lang = StringProperty("zh")
    u = NumericProperty(1.0)  # layout unit: 1 at 540x960, 2 on a 1080x1920 panel
    out_of_order = StringProperty("")  # attract-screen line naming what does not work
    out_of_service = BooleanProperty(False)  # set remotely by maintenance staff
    locating = BooleanProperty(False)  # "locate": the attract screen flashes

    def __init__(self, config: KioskConfig, simulators=None, screenshot_every: float = 0,
                 config_path: str | None = None, **kw):
        super().__init__(**kw)
        self.config_model = config
        self.config_path = config_path  # for the remote "reload config" command
        self.simulators = simulators
        self._screenshot_every = screenshot_every
        self._clock_events: list = []  # cancelled in on_stop
        self.catalog = Catalog.load()
        self.lang = config.terminal.language
        self.title = self.catalog.text("app.title", self.lang)

    # -- translation, used from kv as app.t('key', app.lang) so text follows lang --
    def t(self, key: str, _lang: str | None = None, **values: object) -> str:
        return self.catalog.text(key, self.lang, **values)

    def toggle_language(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        self._update_out_of_order()
        self._refresh_trigger()

    def build(self):
        cfg = self.config_model
        self.session = Session(cfg.session)
        self.journal = Journal(Path(cfg.paths.data_dir) / "journal.sqlite")
        self.worker = Worker(post)
        client = BackendClient(
            cfg.backend.url, timeout=cfg.backend.timeout_s,
            auth=SigningAuth(cfg.backend.app_key, cfg.backend.app_secret),
        )
        self.breakers = BreakerBoard(cfg.backend.failure_threshold, cfg.backend.probe_interval_s)
        self.breakers.subscribe(lambda *_a: post(self._department_changed))
        self.breakers.start_probing(lambda dept: client.get_json(f"/api/v1/{dept}/health"))
        self.hub = DeviceHub(cfg.devices, post, data_dir=cfg.paths.data_dir)
        self.controller = KioskController(
            cfg, self.session, self.worker, RatingService(client), self.hub, self.journal
        )
        self.controller.flows["ss"] = SocialSecurityFlow(
            self.controller,
            SocialSecurityService(DepartmentClient(client, "social-security", self.breakers)),
        )
        registry.register_flows(self.controller, client, self.breakers)
        self.controller.nav = self
        self.health = start_fleet_link(self, post)
        self.hub.card_listeners.append(self.controller.card_read)
        self.hub.sscard_listeners.append(self.controller.sscard_read)
        self.hub.status_listeners.append(self._device_changed)
        self.session.subscribe(self._on_phase)

        self.root_widget, self.screens = build_root()
        self.timeout_dialog = TimeoutDialog()
        self._refresh_trigger = Clock.create_trigger(self._refresh_current)
        self.set_out_of_service(bool(self.health.store.get("out_of_service", False)))
        Window.bind(on_touch_down=self._touched, size=self._on_resize, on_flip=self._first_flip)
        self._on_resize(Window, Window.size)
        # Kivy's clock outlives an app: kept, so that on_stop can cancel them all.
        every = self._every
        every(self._tick, 0.5)
        # Ratings the back end could not take yet are sent again, oldest first.
        every(
            lambda _dt: self.worker.run(
                self.controller.deliver_ratings, lambda _r: None, log.warning
            ),
            60,
        )
        every(lambda _dt: registry.every_minute(self.controller), 60)
        if self._screenshot_every > 0:
            every(self._live_screenshot, self._screenshot_every)
        self.health.start()
        self.hub.start()
        return self.root_widget

    def _first_flip(self, *_a) -> None:
        """The first frame is on the glass: the marker bench/startup.py waits for."""
        if self.screens.current == "attract":
            Window.unbind(on_flip=self._first_flip)
            log.info("%s", READY_MARKER)

    def stop_from_signal(self) -> None:
        """Ctrl-C or SIGTERM: leave the main loop on the UI thread."""
        Clock.schedule_once(lambda _dt: self.stop(), 0)

    def _live_screenshot(self, _dt: float) -> None:
        folder = Path(self.config_model.paths.data_dir) / "screens"
        folder.mkdir(parents=True, exist_ok=True)
        self.root_widget.export_to_png(str(folder / "live.png"))

    # -- Navigator for the controller -------------------------------------------
    def show(self, screen: str) -> None:
        self.screens.current = screen
        self._refresh_trigger()

    def refresh(self) -> None:
        self._refresh_trigger()

    def _refresh_current(self, *_a) -> None:
        self.screens.current_screen.refresh(self)

    # -- session ----------------------------------------------------------------
    def _on_phase(self, old: Phase, new: Phase) -> None:
        if new is Phase.ENDED:
            self.timeout_dialog.dismiss()
            for screen in self.screens.screens:  # every screen built so far: only they held data
                screen.clear()

    def _tick(self, _dt: float) -> None:
        self.session.tick()
        if self.session.warning:
            self.timeout_dialog.seconds = int(self.session.remaining + 0.99)
            self.timeout_dialog.open_once()
        else:
            self.timeout_dialog.dismiss()

    def _department_changed(self) -> None:
        self._update_out_of_order()
        self._refresh_trigger()  # the home tile says whether its department is there

    def _device_changed(self, _status) -> None:
        self._update_out_of_order()
        self.health.poke()  # the fleet hears of a fault now, not at the next heartbeat
        self._refresh_trigger()  # e.g. the print button follows the printer

    def _update_out_of_order(self) -> None:
        down = [
            self.t(f"device.{name}")
            for name, status in self.hub.statuses.items()
            if not status.usable and status.state.value != "starting"
        ]
        down += [
            self.t(f"department.{name}")
            for name in DEPARTMENTS
            if not self.breakers.is_up(name)
        ]
        what = "、" if self.lang == "zh" else ", "
        self.out_of_order = self.t("attract.out_of_order", what=what.join(down)) if down else ""

    def _on_resize(self, _window, size) -> None:
        w, h = size
        self.u = min(w / 540, h / 960) if h >= w else min(w / 960, h / 540)

    # -- remote commands (kiosk/fleet/link.py calls these on the UI thread) ---------
    def set_out_of_service(self, on: bool) -> Future:
        """Out of service survives a restart; a session already running may finish.

        Shown at once; the SQLite write goes to the worker (in order, so two quick toggles
        keep the last). The future is done when the setting is on disk.
        """
        self.out_of_service = self.controller.out_of_service = on
        saved = self.worker.run_in_order(
            lambda: self.health.store.put("out_of_service", on), lambda _r: None, log.warning
        )
        self.health.poke()
        self._refresh_trigger()
        return saved

    def locate(self, seconds: float) -> None:
        self.locating = True
        Clock.schedule_once(lambda _dt: setattr(self, "locating", False), seconds)

    def _every(self, callback, seconds: float) -> None:
        self._clock_events.append(Clock.schedule_interval(callback, seconds))

    def _touched(self, *_a) -> None:
        self.session.touch()

    def on_stop(self) -> None:
        for event in self._clock_events:
            event.cancel()
        Window.unbind(on_touch_down=self._touched, size=self._on_resize, on_flip=self._first_flip)
        self.breakers.stop()
        self.hub.stop()
        self.health.stop()
        self.worker.shutdown()
        self.journal.close()
        if self.simulators:
            self.simulators.stop()
