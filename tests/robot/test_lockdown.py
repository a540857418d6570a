"""No way out for a citizen: every escape a keyboard, the compositor or a mouse could
send to the real app does nothing; the kiosk stays on its screen (issue 12, lockdown).

Ctrl+Alt+F* (VT switching) never reaches the app: cage and provisioning's cage.env
block it (systemd/README.md, "Lockdown"); the app ignores those keys too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robot.world import REPO

pytestmark = pytest.mark.robot

ESCAPE, F1, F4, F12, KEY_E, F2 = 27, 282, 285, 293, 101, 283
# (key, codepoint, modifiers): what SDL sends Kivy's window for each combination.
ESCAPES = {
    "Escape": (ESCAPE, None, []),
    "Alt+F4": (F4, None, ["alt"]),
    "F1 (Kivy settings)": (F1, None, []),
    "F12 (keybinding screenshot)": (F12, None, []),
    "Ctrl+E (inspector)": (KEY_E, "e", ["ctrl"]),
    "Shift+F12": (F12, None, ["shift"]),
    "Ctrl+Alt+F2 (VT switch)": (F2, None, ["ctrl", "alt"]),
}


def screenshots_written() -> set[Path]:
    """Where Kivy's keybinding module (F12) writes: the working directory."""
    return set(Path.cwd().glob("screenshot*.png")) | set(REPO.glob("screenshot*.png"))


def press(window, key: int, codepoint: str | None, modifiers: list[str]) -> None:
    """The way Kivy's SDL2 window delivers a key: on_key_down, then on_keyboard
    unless a handler took the key down, then on_key_up."""
    if not window.dispatch("on_key_down", key, 0, codepoint, modifiers):
        window.dispatch("on_keyboard", key, 0, codepoint, modifiers)
    window.dispatch("on_key_up", key, 0)


def test_no_key_opens_settings_inspector_or_leaves(world):
    from kivy.app import App
    from kivy.base import EventLoop
    from kivy.config import Config
    from kivy.core.window import Window
    from kivy.uix.settings import Settings

    from tests.robot.kivy_robot import frames, wait_until

    app = world.app
    wait_until(lambda: app.screens.current == "attract", what="attract screen")
    app._install_settings_keys(Window)  # as App.run() does (the robot never calls run())
    children = list(Window.children)
    shots = screenshots_written()
    loop_status = EventLoop.status  # the robot drives frames itself: "idle", not "started"
    assert Config.items("modules") == []  # no inspector, monitor, touchring, keybinding
    for name, (key, codepoint, modifiers) in ESCAPES.items():
        press(Window, key, codepoint, modifiers)
        frames(3)
        assert App.get_running_app() is app, name
        assert EventLoop.status == loop_status and not EventLoop.quit, f"{name} stopped Kivy"
        assert app.screens.current == "attract", name
        assert list(Window.children) == children, f"{name} added {Window.children}"
        assert not any(isinstance(w, Settings) for top in Window.children
                       for w in top.walk()), name
    assert app._app_settings is None  # no settings panel built, shown or not
    assert app.open_settings() is False
    assert screenshots_written() == shots, "F12 wrote a screenshot"


def test_the_window_refuses_to_close(world):
    """Alt+F4 and a close asked by the compositor reach Kivy as SDL's quit event: its
    window leaves the main loop unless an on_request_close handler returns True."""
    from kivy.base import EventLoop
    from kivy.core.window import Window

    from tests.robot.kivy_robot import frames

    app = world.app
    loop_status = EventLoop.status
    for source in (None, "keyboard"):
        kwargs = {"source": source} if source else {}
        assert Window.dispatch("on_request_close", **kwargs) is True, source
    frames(3)
    assert EventLoop.status == loop_status and not EventLoop.quit
    assert app.screens.current == "attract"


def test_a_right_click_leaves_no_multitouch_dot(world):
    """Kivy's mouse provider, as the config builds it: a right click would leave a red
    "simulated second finger" dot on the screen unless multitouch is disabled."""
    from kivy.config import Config
    from kivy.core.window import Window
    from kivy.input.providers.mouse import MouseMotionEventProvider

    _provider, args = Config.get("input", "mouse").split(",", 1)
    mouse = MouseMotionEventProvider("mouse", args)
    assert mouse.disable_multitouch
    x, y = Window.width / 2, Window.height / 2
    mouse.on_mouse_press(Window, x, y, "right", [])
    mouse.on_mouse_release(Window, x, y, "right", [])
    assert mouse.touches == {}  # nothing left behind on the glass
