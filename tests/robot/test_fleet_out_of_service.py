"""Out of service (a remote command) is shown at once; its SQLite write leaves the UI thread."""

from __future__ import annotations

import threading


def test_out_of_service_shows_at_once_and_is_saved_off_the_ui_thread(world):
    from tests.robot.kivy_robot import frames, wait_until

    app = world.app
    store = app.health.store
    touch_line = app.screens.get_screen("attract").ids.touch_line
    wait_until(lambda: app.screens.current == "attract", what="attract screen")
    writes: list[tuple[str, bool]] = []
    real_put = store.put

    def put(key, value):
        if key == "out_of_service":
            writes.append((threading.current_thread().name, value))
        real_put(key, value)

    store.put = put
    try:
        saved = [app.set_out_of_service(on) for on in (True, False, True)]
        assert app.out_of_service and app.controller.out_of_service  # shown without waiting
        frames(3)
        assert touch_line.text == "本终端暂停服务，请使用其他终端"
        wait_until(lambda: all(f.done() for f in saved), what="the setting saved")
        assert [value for _name, value in writes] == [True, False, True]  # in order
        assert all(name != threading.main_thread().name for name, _v in writes), writes
        assert all(name.startswith("kiosk-writer") for name, _v in writes), writes
        assert store.get("out_of_service") is True  # the last toggle wins on disk
    finally:
        app.set_out_of_service(False).result(timeout=10)
        store.put = real_put
    assert store.get("out_of_service") is False
    wait_until(lambda: touch_line.text == "请触摸屏幕开始", what="back in service")


def test_the_attract_clock_shows_the_halls_time_on_a_machine_that_keeps_utc(world):
    """CI and most images keep UTC; the hall is in Asia/Shanghai (the config's default)."""
    from datetime import UTC, datetime, timedelta

    from tests.robot.kivy_robot import frames, wait_until

    app = world.app
    wait_until(lambda: app.screens.current == "attract", what="attract screen")
    attract = app.screens.get_screen("attract")
    before = datetime.now(UTC) + timedelta(hours=8)
    frames(2)
    attract._tick()
    after = datetime.now(UTC) + timedelta(hours=8)
    assert attract.clock in {before.strftime("%H:%M"), after.strftime("%H:%M")}
    assert attract.date in {before.strftime("%Y-%m-%d"), after.strftime("%Y-%m-%d")}
