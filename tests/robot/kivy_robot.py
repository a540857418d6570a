"""Drive the real Kivy app frame by frame with real touch events."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.tests.common import UnitTestTouch
from kivy.uix.widget import Widget


def frames(count: int = 3) -> None:
    for _ in range(count):
        EventLoop.idle()


def wait_until(predicate: Callable[[], bool], timeout: float = 15, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        EventLoop.idle()
        if predicate():
            return
    raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")


def tap(widget: Widget) -> None:
    """A finger down and up on the widget's centre, dispatched through the window."""
    frames(2)  # a screen just shown is laid out on the next frame
    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    frames(2)
    touch.touch_up()
    frames(3)  # a Button goes back to "normal" only after ~35 ms


def tap_at(x: float, y: float) -> None:
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    frames(2)
    touch.touch_up()
    frames(3)


def screenshot(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    frames(2)
    target = folder / f"{name}.png"
    written = Window.screenshot(name=str(folder / f"{name}-.png"))  # Kivy numbers the file
    os.replace(written, target)
    return target


def texts_in(widget: Widget) -> list[str]:
    """Every piece of text a widget tree holds, shown or not."""
    found = []
    for child in widget.walk(restrict=True):
        text = getattr(child, "text", None)
        if isinstance(text, str) and text:
            found.append(text)
    return found


def drag(widget: Widget, dy: float, steps: int = 8) -> None:
    """A finger dragged ``dy`` pixels up (+) or down (-) from the widget's centre.

    No frame runs between the moves, so a ScrollView sees a fast, unambiguous swipe
    whatever the machine's load (its scroll timeout needs a clock tick to fire).
    """
    frames(2)
    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    for i in range(1, steps + 1):
        touch.touch_move(x, y + dy * i / steps)
    touch.touch_up()
    frames(3)
