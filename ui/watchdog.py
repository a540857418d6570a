"""READY=1 and the watchdog pings of the UI unit, from Kivy's main-thread clock.

The ping means "the main loop turns and draws": each clock tick asks for a frame,
the frame's flip marks it drawn, and the next tick pings only if it was. A main loop
stuck in a callback, a dead GL context or a window that no longer draws stops the
pings, and systemd kills and restarts the unit (kiosk-ui.service, WatchdogSec=).
No other thread may ping (kiosk.sdnotify.watchdog raises on one): a side thread's
ping would keep a frozen screen alive. See systemd/README.md.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from kiosk import sdnotify

log = logging.getLogger(__name__)
STARTED = time.time()  # for the test-only freeze hook below
# TEST ONLY (set by tests/systemd's drop-in, never by a shipped unit): when this file
# exists and is newer than this process, the main thread sleeps forever, so that the
# test sees the watchdog kill a frozen UI. The restarted UI is newer than the file.
FREEZE_FILE_ENV = "KIOSK_TEST_FREEZE_FILE"


def assert_main_thread() -> None:
    if threading.current_thread() is not threading.main_thread():
        raise sdnotify.OffMainThread("the UI watchdog runs on Kivy's main thread only")


class FramePinger:
    """Pings at a third of WatchdogSec, each time only if a frame was drawn since."""

    def __init__(self, window: Any, clock: Any, interval_s: float, ping=sdnotify.watchdog):
        self._window, self._clock, self._ping = window, clock, ping
        self.period_s = interval_s / 3
        self._drawn = False
        self._event = None
        self.pings = 0

    def start(self) -> None:
        assert_main_thread()
        self._window.bind(on_flip=self._flipped)
        self._event = self._clock.schedule_interval(self._tick, self.period_s)

    def stop(self) -> None:
        if self._event is not None:
            self._event.cancel()
        self._window.unbind(on_flip=self._flipped)

    def _flipped(self, *_a) -> None:
        self._drawn = True

    def _tick(self, _dt: float) -> None:
        assert_main_thread()
        _test_freeze_hook()
        if self._drawn:
            self._drawn = False
            self._ping()
            self.pings += 1
        self._window.canvas.ask_update()  # the next frame's flip earns the next ping


def _test_freeze_hook() -> None:
    path = os.environ.get(FREEZE_FILE_ENV)
    if not path:
        return
    try:
        frozen = os.stat(path).st_mtime > STARTED
    except OSError:
        return
    if frozen:
        log.warning("test hook %s: the main thread freezes now", FREEZE_FILE_ENV)
        while True:
            time.sleep(3600)


def start(window: Any, clock: Any) -> FramePinger | None:
    """Tell systemd the attract screen is drawn; start pinging if a watchdog watches."""
    sdnotify.ready("attract screen drawn")
    interval = sdnotify.watchdog_interval_s()
    if interval is None:
        return None
    pinger = FramePinger(window, clock, interval)
    pinger.start()
    log.info("watchdog: pinging every %.1f s while frames are drawn", pinger.period_s)
    return pinger
