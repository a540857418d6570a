"""What the UI benchmarks share: an offscreen Kivy set-up, a touch timed to the frame
that shows its answer, per-frame times, and their summaries.

Import ``offscreen_env`` (no Kivy) first; ``touch_to_frame`` and ``frame_times`` import
Kivy's window when called, so call ``offscreen_env()`` and set Kivy's config before.
The kiosk (``ui_latency``, ``scroll_frames``) and its bare-Kivy baselines (``bare_ui``)
are measured by these same functions.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from bench.idcard_read import percentile

REPO = Path(__file__).resolve().parents[1]
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FRAME_60HZ_MS = 1000 / 60


def offscreen_env() -> None:
    """Kivy renders offscreen with full OpenGL (Mesa), writes nothing to ~/.kivy and
    leaves argv alone; the same for the kiosk and for its baselines."""
    os.environ["SDL_VIDEODRIVER"] = "offscreen"
    os.environ["KIVY_NO_ARGS"] = "1"
    os.environ["KIVY_NO_FILELOG"] = "1"
    os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="bench-kivy-"))
    os.environ.pop("DISPLAY", None)
    os.environ.pop("WAYLAND_DISPLAY", None)


def finish_frame() -> None:
    """Wait until the GPU (here Mesa's llvmpipe, on the CPU) has drawn the frame.

    The offscreen window's buffer swap does not wait for the drawing: llvmpipe
    rasterises on its own threads and only a later call that needs the pixels waits,
    so without this a frame's drawing is billed to whichever later frame waits first
    (one that uploads a new text texture), and frames that wait for nothing look free.
    A swap to a real display waits for the pixels; so do these measurements.
    """
    from kivy.graphics.opengl import glFinish

    glFinish()


def touch_to_frame(widget, shown: Callable[[], bool], timeout: float = 30) -> float:
    """Seconds from a finger's down and up on ``widget`` to the end of the first frame
    whose ``on_flip`` finds ``shown()`` true (the buffer swap and its drawing included).

    Down and up are dispatched back to back: what a button does happens on release,
    and the time a finger rests on the glass is not the kiosk's.
    """
    from kivy.base import EventLoop
    from kivy.core.window import Window
    from kivy.tests.common import UnitTestTouch

    drawn: list[bool] = []

    def flipped(*_a) -> None:  # bound handlers run after on_draw, before the swap
        if not drawn and shown():
            drawn.append(True)

    x, y = widget.to_window(*widget.center)
    Window.bind(on_flip=flipped)
    try:
        touch = UnitTestTouch(x, y)
        start = time.perf_counter()
        touch.touch_down()
        touch.touch_up()
        while not drawn:
            EventLoop.idle()  # returns after on_flip and the swap
            finish_frame()
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"nothing shown {timeout} s after the touch")
        return time.perf_counter() - start
    finally:
        Window.unbind(on_flip=flipped)


def frame_times(steps: Iterable[Callable[[], None]]) -> list[float]:
    """Run one step per frame, unthrottled (no 60 fps cap), and return each drawn frame's
    time in seconds: from the end of the previous frame's drawing to the end of its own
    (``finish_frame``: the pixels exist, not only the swap was asked for).

    A loop iteration that draws nothing (the window's canvas unchanged) is not a frame:
    its time counts towards the next frame drawn. Offscreen rendering has no vsync, so
    this is what a frame costs on this machine's CPU (Kivy + Mesa's llvmpipe), not a
    display's refresh.
    """
    from kivy.base import EventLoop
    from kivy.clock import Clock
    from kivy.core.window import Window

    flips = [0]

    def flipped(*_a) -> None:
        flips[0] += 1

    capped, Clock._max_fps = Clock._max_fps, 0  # no sleeping between frames
    Window.bind(on_flip=flipped)
    try:
        EventLoop.idle()
        finish_frame()
        times, last = [], time.perf_counter()
        for step in steps:
            step()
            before = flips[0]
            EventLoop.idle()
            finish_frame()
            if flips[0] > before:
                now = time.perf_counter()
                times.append(now - last)
                last = now
        return times
    finally:
        Window.unbind(on_flip=flipped)
        Clock._max_fps = capped


def summary_ms(seconds: list[float]) -> dict[str, float]:
    """p50, p99 (nearest rank), max and mean in milliseconds."""
    ms = [1000 * s for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 1),
        "p99_ms": round(percentile(ms, 0.99), 1),
        "max_ms": round(max(ms), 1),
        "mean_ms": round(statistics.fmean(ms), 1),
    }


def frame_summary(seconds: list[float]) -> dict[str, float]:
    """Frame times: ``summary_ms``, the total, and how many frames took over 1/60 s."""
    result = summary_ms(seconds)
    result["total_s"] = round(sum(seconds), 2)
    result["over_16_7ms"] = sum(1 for s in seconds if 1000 * s > FRAME_60HZ_MS)
    return result
