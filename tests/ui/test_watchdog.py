"""ui.watchdog's rule with a stand-in window and clock: a ping only after a drawn frame."""

from __future__ import annotations

import os
import threading
import time

import pytest

from kiosk import sdnotify
from ui import watchdog


class FakeWindow:
    def __init__(self):
        self.handlers = []
        self.asked = 0
        self.canvas = self

    def bind(self, on_flip):
        self.handlers.append(on_flip)

    def unbind(self, on_flip):
        self.handlers.remove(on_flip)

    def ask_update(self):
        self.asked += 1

    def flip(self):
        for handler in self.handlers:
            handler(self)


class FakeClock:
    def __init__(self):
        self.callbacks = []

    def schedule_interval(self, callback, period):
        self.callbacks.append((callback, period))
        return self

    def cancel(self):
        self.callbacks.clear()

    def tick(self):
        for callback, _period in list(self.callbacks):
            callback(0.1)


@pytest.fixture
def pinger():
    pings = []
    window, clock = FakeWindow(), FakeClock()
    p = watchdog.FramePinger(window, clock, 30, ping=lambda: pings.append(1))
    p.start()
    return p, window, clock, pings


def test_a_third_of_the_watchdog_period(pinger):
    p, _w, clock, _pings = pinger
    assert p.period_s == 10
    assert clock.callbacks[0][1] == 10


def test_no_frame_no_ping(pinger):
    _p, window, clock, pings = pinger
    clock.tick()
    clock.tick()
    assert pings == []
    assert window.asked == 2  # each tick asked for a frame


def test_one_ping_per_drawn_frame(pinger):
    _p, window, clock, pings = pinger
    window.flip()
    clock.tick()
    clock.tick()  # no new frame since the last ping
    assert len(pings) == 1
    window.flip()
    window.flip()
    clock.tick()
    assert len(pings) == 2


def test_a_tick_off_the_main_thread_raises(pinger):
    _p, window, clock, pings = pinger
    window.flip()
    errors = []

    def side():
        try:
            clock.tick()
        except sdnotify.OffMainThread as exc:
            errors.append(exc)

    t = threading.Thread(target=side)
    t.start()
    t.join()
    assert errors and pings == []


def test_the_test_only_freeze_hook_fires_only_for_a_file_newer_than_the_process(
        tmp_path, monkeypatch):
    freeze = tmp_path / "freeze"
    freeze.touch()
    old = watchdog.STARTED - 10
    os.utime(freeze, (old, old))
    monkeypatch.setenv(watchdog.FREEZE_FILE_ENV, str(freeze))
    watchdog._test_freeze_hook()  # older than this process: nothing happens
    slept = []
    monkeypatch.setattr(time, "sleep", lambda s: (slept.append(s), (_ for _ in ()).throw(
        KeyboardInterrupt)))
    os.utime(freeze, None)
    with pytest.raises(KeyboardInterrupt):
        watchdog._test_freeze_hook()
    assert slept == [3600]


def test_without_a_watchdog_only_ready_is_sent(monkeypatch):
    sent = []
    monkeypatch.setattr(sdnotify, "ready", lambda status: sent.append(status))
    monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    assert watchdog.start(FakeWindow(), FakeClock()) is None
    assert sent == ["attract screen drawn"]
