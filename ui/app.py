"""Composes the Kivy app. With ``ui.kivy_setup``, the only Kivy code in ``kiosk/``.

Importing this module creates Kivy's window: call ``ui.kivy_setup.prepare_kivy``
first.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.graphics.opengl import glFinish
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty

from kiosk import theme
from kiosk.clock import LocalClock
from kiosk.config import KioskConfig
from kiosk.controller import KioskController
from kiosk.declaration import Upkeep, Wiring, build_flow
from kiosk.departments import DEPARTMENTS, breakers
from kiosk.devices import DeviceHub
from kiosk.fleet.link import start_fleet_link
from kiosk.i18n import Catalog
from kiosk.journal import Journal
from kiosk.out_of_service import OutOfService
from kiosk.prompts import Prompter
from kiosk.services.breaker import BreakerBoard, DepartmentClient
from kiosk.services.gateway import BackendClient
from kiosk.services.ratings import RatingService
from kiosk.services.signing import SigningAuth
from kiosk.session import Phase, Session
from kiosk.voice import Voice
from kiosk.worker import Worker
from screens import build_root
from screens.staff_notice import StaffNotice
from screens.timeout_dialog import TimeoutDialog
from ui import watchdog
from ui.out_of_order import out_of_order_line
from ui.staff_call import StaffCall
from ui.timeout_warning import TimeoutWarning

log = logging.getLogger(__name__)
READY_MARKER = "ready: attract screen drawn"
DESIGN_W, DESIGN_H = 540, 960  # app.u is 1 on a 540x960 portrait window
# Landscape is laid out on a shorter, much wider page (1920x1080: 1629x840 units), so
# text is not shrunk to fit the portrait height; its layouts use the width instead.
LANDSCAPE_H = 840
STAFF_CALL_IDLE_S = 300  # a call made with no session running clears after this


def post(fn) -> None:
    """Run ``fn`` on the UI thread (safe to call from any thread)."""
    Clock.schedule_once(lambda _dt: fn(), 0)


class KioskApp(App):
    lang = StringProperty("zh")
    u = NumericProperty(1.0)  # layout unit: 1 at 540x960, 2 on a 1080x1920 panel
    out_of_order = StringProperty("")  # attract-screen line naming what does not work
    out_of_service = BooleanProperty(False)  # set remotely by maintenance staff
    locating = BooleanProperty(False)  # "locate": the attract screen flashes
    landscape = BooleanProperty(False)  # a 1920x1080 panel: layouts use the width
    elder = BooleanProperty(False)  # 适老化 for this citizen's session (reset at idle)
    fu = NumericProperty(1.0)  # text and touch-target unit: app.u, larger in elder mode
    # The palette every .kv rule reads as app.pal.<colour>. rebind: a rule re-reads it when
    # the palette is swapped, and a widget's own colour rule still wins over its class's.
    pal = ObjectProperty(theme.NORMAL, rebind=True)
    staff_called = BooleanProperty(False)  # the fleet has the staff.call alarm
    use_kivy_settings = False  # lockdown (ui/lockdown.py): no Kivy settings panel

    def __init__(self, config: KioskConfig, simulators=None, screenshot_every: float = 0,
                 config_path: str | None = None, **kw):
        super().__init__(**kw)
        self.config_model = config
        self.config_path = config_path  # for the remote "reload config" command
        self.simulators = simulators
        self._screenshot_every = screenshot_every
        self._clock_events: list = []  # cancelled in on_stop
        self.catalog = Catalog.load()
        self.local_clock = LocalClock(config.terminal.time_zone)
        self.lang = config.terminal.language
        self.title = self.catalog.text("app.title", self.lang)

    # -- translation, used from kv as app.t('key', app.lang) so text follows lang --
    def t(self, key: str, _lang: str | None = None, **values: object) -> str:
        return self.catalog.text(key, self.lang, **values)

    def toggle_language(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        self._update_out_of_order()
        self.prompter.forget()  # the screen's prompt again, in the new language
        self._refresh_trigger()

    # -- for every citizen: elder mode, call staff ---------------------------------
    def toggle_elder(self) -> None:
        self.elder = not self.elder

    def on_elder(self, *_a) -> None:
        self._restyle()

    def on_u(self, *_a) -> None:
        self._restyle()

    def _restyle(self) -> None:
        self.fu = self.u * theme.scale(self.elder)
        self.pal = theme.palette(self.elder)

    def call_staff(self) -> None:
        """Raise the staff.call alarm once, however often it is touched, and say so."""
        self.staff_call.call()

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
        self.breakers.changed.subscribe(lambda _change: post(self._department_changed))
        self.breakers.start_probing(lambda dept: client.get_json(f"/api/v1/{dept}/health"))
        self.hub = DeviceHub(cfg.devices, post, data_dir=cfg.paths.data_dir)
        self.controller = KioskController(
            cfg, self.session, self.worker, RatingService(client), self.hub, self.journal
        )
        data_dir = Path(cfg.paths.data_dir)
        for department in DEPARTMENTS:  # each behind its own breaker
            wiring = Wiring(self.controller,
                            DepartmentClient(client, department.breaker, self.breakers), data_dir)
            self.controller.add_flow(department, build_flow(department, wiring))
        self.controller.nav = self
        self.health = start_fleet_link(self, post)
        self.voice = Voice(cfg.voice, self.catalog.text, Path(cfg.paths.data_dir))
        self.prompter = Prompter(self.voice)
        self.hub.card_read.subscribe(self.controller.card_read)
        self.hub.sscard_read.subscribe(self.controller.sscard_read)
        self.hub.status_changed.subscribe(self._device_changed)
        self.session.phase_changed.subscribe(lambda change: self._on_phase(*change))

        self.root_widget, self.screens = build_root()
        self.timeout_dialog = TimeoutDialog()
        self.staff_notice = StaffNotice()
        self.timeout_warning = TimeoutWarning(
            self.session, self.timeout_dialog,
            lambda: self.voice.say("voice.timeout", self.lang, slow=self.elder),
        )  # fmt: skip
        self.staff_call = StaffCall(
            show_notice=self.staff_notice.show, dismiss_notice=self.staff_notice.dismiss,
            say_called=lambda: self.voice.say("voice.staff_called", self.lang, slow=self.elder),
            poke=self.health.poke,
        )
        self.staff_call.changed.subscribe(lambda on: setattr(self, "staff_called", on))
        self.screens.bind(current=self._screen_changed)
        self._refresh_trigger = Clock.create_trigger(self._refresh_current)
        # The one owner of the setting; the controller reads it, this property shows it.
        self.service_setting = OutOfService(self.health.store, self.worker.run_in_order)
        self.controller.out_of_service_setting = self.service_setting
        self.service_setting.changed.subscribe(self._out_of_service_changed)
        self.out_of_service = self.service_setting.on
        Window.bind(on_touch_down=self._touched, size=self._on_resize, on_flip=self._first_flip,
                    on_request_close=self._refuse_close)
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
        every(self.upkeep, 60)
        if self._screenshot_every > 0:
            every(self._live_screenshot, self._screenshot_every)
        self.health.start()
        self.hub.start()
        return self.root_widget

    def upkeep(self, _dt: float) -> None:
        """The departments' background work (a fine payment left unfinished ...)."""
        for flow in self.controller.flows.values():
            if isinstance(flow, Upkeep):
                flow.every_minute()

    def _first_flip(self, *_a) -> None:
        """The first frame is on the glass: the marker bench/startup.py waits for."""
        if self.screens.current == "attract":
            Window.unbind(on_flip=self._first_flip)
            glFinish()  # drawn, not only asked for: a software renderer draws later
            log.info("%s", READY_MARKER)
            self.watchdog = watchdog.start(Window, Clock)  # READY=1, then main-thread pings

    # -- lockdown: no way out for a citizen (ui/lockdown.py) ------------------------
    def _install_settings_keys(self, _window) -> None:
        """Kivy would bind F1 to its settings panel: bind nothing."""

    def open_settings(self, *_a) -> bool:
        return False  # never: the settings panel would let anyone change Kivy's config

    def _refuse_close(self, *_a, **_kw) -> bool:
        """Alt+F4, a window close asked by the compositor, Escape: refused. The app's
        own stop (App.stop, from stop_from_signal) does not ask the window."""
        log.info("window close request refused")
        return True

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
        self.prompter.shown(self.screens.current, self.controller.print_state, self.lang,
                            slow=self.elder)

    def _screen_changed(self, *_a) -> None:
        self.prompter.forget()  # back on a screen: its prompt is spoken again

    # -- session ----------------------------------------------------------------
    def _on_phase(self, old: Phase, new: Phase) -> None:
        if new is Phase.ENDED:
            self.timeout_dialog.dismiss()
            for screen in self.screens.screens:  # every screen built so far: only they held data
                screen.clear()
        if new is Phase.IDLE:  # the next citizen starts in the normal mode
            self.elder = False
            self.staff_call.clear()  # the citizen who asked has gone

    def _tick(self, _dt: float) -> None:
        self.session.tick()
        self.timeout_warning.tick()
        self.staff_call.tick(self.session.phase is not Phase.IDLE, STAFF_CALL_IDLE_S)

    def _department_changed(self) -> None:
        self._update_out_of_order()
        self._refresh_trigger()  # the home tile says whether its department is there

    def _device_changed(self, _status) -> None:
        self._update_out_of_order()
        self.health.poke()  # the fleet hears of a fault now, not at the next heartbeat
        self._refresh_trigger()  # e.g. the print button follows the printer

    def _update_out_of_order(self) -> None:
        departments_down = [department.name(self.lang)
                            for breaker, department in breakers().items()
                            if not self.breakers.is_up(breaker)]
        self.out_of_order = out_of_order_line(self.t, self.lang, self.hub.statuses,
                                              departments_down)

    def _on_resize(self, _window, size) -> None:
        w, h = size
        self.landscape = w > h
        self.u = h / LANDSCAPE_H if self.landscape else min(w / DESIGN_W, h / DESIGN_H)

    # -- remote commands (kiosk/fleet/link.py calls these on the UI thread) ---------
    def set_out_of_service(self, on: bool) -> Future:
        """Shown at once; the future is done when the setting is on disk."""
        return self.service_setting.set(on)

    def _out_of_service_changed(self, on: bool) -> None:
        self.out_of_service = on
        self.health.poke()
        self._refresh_trigger()

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
        Window.unbind(on_touch_down=self._touched, size=self._on_resize, on_flip=self._first_flip,
                      on_request_close=self._refuse_close)
        self.breakers.stop()
        self.hub.stop()
        self.health.stop()
        self.voice.stop()
        self.worker.shutdown()
        self.journal.close()
        if self.simulators:
            self.simulators.stop()
