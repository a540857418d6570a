"""The UI benchmarks' baselines: bare Kivy apps, same window, font and measurement.

    python bench/bare_ui.py switch --runs N
        a button whose touch switches to a second trivial screen (ScreenManager,
        no transition, as the kiosk): touch to the frame that shows it, N times.
    python bench/bare_ui.py scroll --rows N --row-height PX --width W --height H
                                   --frames F --passes P
        a W x H RecycleView of N plain label rows scrolled by scroll_y steps, one a frame,
        top to bottom and back in F frames each way, P times: per-frame times.

Prints one JSON line of seconds. Run in its own process: Kivy has one window per process.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

from bench.ui_measure import FONT, frame_times, offscreen_env, touch_to_frame


def switch(runs: int) -> list[float]:
    from kivy.uix.button import Button
    from kivy.uix.label import Label
    from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

    manager = ScreenManager(transition=NoTransition())
    first, second = Screen(name="first"), Screen(name="second")
    button = Button(text="社保查询", size_hint=(0.6, 0.2), pos_hint={"center_x": 0.5,
                                                                  "center_y": 0.5})
    button.bind(on_release=lambda _b: setattr(manager, "current", "second"))
    first.add_widget(button)
    second.add_widget(Label(text="参保信息"))
    manager.add_widget(first)
    manager.add_widget(second)
    run_app(manager)
    seconds = []
    for _ in range(runs):
        seconds.append(touch_to_frame(button, lambda: manager.current == "second"))
        manager.current = "first"
        idle(3)
    return seconds


def scroll(rows: int, row_height: float, size: tuple[float, float], frames: int,
           passes: int) -> list[float]:
    from kivy.lang import Builder

    rv = Builder.load_string(f"""
RecycleView:
    viewclass: 'Label'
    size_hint: None, None
    size: {size[0]}, {size[1]}
    RecycleBoxLayout:
        default_size: None, {row_height}
        default_size_hint: 1, None
        size_hint_y: None
        height: self.minimum_height
        orientation: 'vertical'
""")
    rv.data = [{"text": f"2026-{i % 12 + 1:02d}  单位 1,440.00 · 个人 1,440.00  第 {i} 行"}
               for i in range(rows)]
    run_app(rv)
    idle(5)
    return frame_times(scroll_steps(rv, frames, passes))


def scroll_steps(rv, frames: int, passes: int):
    """scroll_y from the top to the bottom and back, ``frames`` steps each way."""
    for _ in range(passes):
        for target in [1 - i / frames for i in range(1, frames + 1)] + \
                      [i / frames for i in range(1, frames + 1)]:
            yield lambda y=target: setattr(rv, "scroll_y", y)


def run_app(root) -> None:
    from kivy.app import App

    class Bare(App):
        def build(self):
            return root

    Bare()._run_prepare()
    idle(5)


def idle(count: int) -> None:
    from kivy.base import EventLoop

    for _ in range(count):
        EventLoop.idle()


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench/bare_ui.py")
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("switch").add_argument("--runs", type=int, default=50)
    p = sub.add_parser("scroll")
    p.add_argument("--rows", type=int, default=401)
    p.add_argument("--row-height", type=float, default=76)
    p.add_argument("--width", type=float, default=500)
    p.add_argument("--height", type=float, default=600)
    p.add_argument("--frames", type=int, default=200)
    p.add_argument("--passes", type=int, default=1)
    p.add_argument("--window", default="540x960", help="the window's size, WxH pixels")
    args = parser.parse_args()
    offscreen_env()
    from kivy.config import Config

    width, height = getattr(args, "window", "540x960").split("x")
    Config.set("graphics", "width", width)
    Config.set("graphics", "height", height)
    Config.set("graphics", "resizable", "0")
    from kivy.core.text import DEFAULT_FONT, LabelBase

    LabelBase.register(DEFAULT_FONT, FONT)
    if args.what == "switch":
        seconds = switch(args.runs)
    else:
        seconds = scroll(args.rows, args.row_height, (args.width, args.height), args.frames,
                         args.passes)
    print(json.dumps(seconds), flush=True)


if __name__ == "__main__":
    main()
