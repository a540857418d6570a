"""Frame times while the longest list scrolls, against a bare RecycleView of label rows.

    .venv/bin/python -m bench.scroll_frames [--frames F] [--passes P] [--panel] [--quick]

The real kiosk (as ``bench.ui_latency`` starts it) shows 孙样例's social security
contribution history, 401 months, on the records screen (a RecycleView), and its
scroll_y is stepped from the top to the bottom and back, one step a frame, F frames
each way, P times. Baseline, same run: a bare Kivy RecycleView of 401 plain Label rows,
same row pitch, same size, same steps (``bench/bare_ui.py scroll``). Both run in the
demo's 540x960 window, or with ``--panel`` in a 1080x1920 one: a kiosk panel's pixels,
four times as many to draw.

Each frame's time runs from the end of one frame's drawing to the end of the next
(``bench.ui_measure.finish_frame``: the pixels exist, not only the swap was asked
for), with Kivy's 60 fps cap lifted: offscreen rendering has no vsync, so the figures
are what a frame costs this machine's CPU (Kivy, and Mesa's llvmpipe rasterising in
software), not what a panel would show. A frame over 16.7 ms here would miss a 60 Hz refresh on a
kiosk as slow as this machine with no GPU; a real GPU takes most of the drawing off
the CPU.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from backend.citizens import DEMO_CITIZENS
from bench.bare_ui import scroll_steps
from bench.ui_functions import rows_shown
from bench.ui_latency import SHOTS, kiosk_world, pad
from bench.ui_measure import REPO, frame_summary
from kiosk.departments.social_security import DEPARTMENT as SOCIAL_SECURITY

CITIZEN = "孙样例"
MONTHS = 401


def measure_kiosk(frames: int, passes: int, window: tuple[int, int]) -> tuple[list[float], dict]:
    with kiosk_world(window) as world:  # first: it sets Kivy up before anything imports it
        from bench.ui_measure import frame_times
        from tests.robot.kivy_robot import frames as idle
        from tests.robot.kivy_robot import screenshot, tap, wait_until
        from tests.robot.steps import back_to_attract, identify

        app = world.app
        identify(world, next(c for c in DEMO_CITIZENS if c.name == CITIZEN))
        tap(app.screens.get_screen("home").tile(SOCIAL_SECURITY))
        ss = app.screens.get_screen("ss_status")
        wait_until(lambda: app.screens.current == "ss_status" and ss.loaded, what="社保")
        tap(ss.ids.contrib_button)
        wait_until(lambda: rows_shown(app, MONTHS), what=f"{MONTHS} months")
        idle(5)
        rv = app.screens.get_screen("records").ids.rv
        layout = rv.layout_manager
        geometry = {"row_pitch": layout.default_size[1] + layout.spacing,
                    "width": rv.width, "height": rv.height}
        seconds = frame_times(scroll_steps(rv, frames, passes))
        rv.scroll_y = 0.5
        screenshot(SHOTS, f"scroll-records-middle-{window[0]}x{window[1]}")
        back_to_attract(world)
    return seconds, geometry


def measure_bare(frames: int, passes: int, geometry: dict, window: tuple[int, int]) -> list[float]:
    out = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bare_ui.py"), "scroll", "--rows", str(MONTHS),
         "--window", f"{window[0]}x{window[1]}",
         "--row-height", str(geometry["row_pitch"]), "--width", str(geometry["width"]),
         "--height", str(geometry["height"]), "--frames", str(frames), "--passes", str(passes)],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scroll_frames")
    parser.add_argument("--frames", type=int, default=400, help="steps each way")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--panel", action="store_true", help="a 1080x1920 window, not 540x960")
    parser.add_argument("--quick", action="store_true", help="a short scroll: does it work?")
    parser.add_argument("--json", type=Path, default=REPO / "var" / "bench" / "scroll_frames.json")
    args = parser.parse_args(argv)
    frames, passes = (20, 1) if args.quick else (args.frames, args.passes)
    window = (1080, 1920) if args.panel else (540, 960)
    kiosk, geometry = measure_kiosk(frames, passes, window)
    bare = measure_bare(frames, passes, geometry, window)
    result = {"frames_each_way": frames, "passes": passes, "rows": MONTHS, "window": window,
              **geometry,
              "bare": frame_summary(bare), "kiosk": frame_summary(kiosk)}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))
    b, k = result["bare"], result["kiosk"]
    print(f"frame times scrolling {MONTHS} rows top to bottom and back, {frames} steps each "
          f"way, {passes} time(s), {window[0]}x{window[1]} window, unthrottled offscreen "
          f"(no vsync), each frame drawn to the end:")
    print(f"  {'(ms)':34s} {'p50':>6s} {'mean':>6s} {'p99':>6s} {'max':>6s}  frames > 16.7 ms"
          f"  whole scroll")
    for label, row in (("bare RecycleView, label rows", b), ("kiosk records screen (社保缴费)", k)):
        print(f"  {pad(label, 34)} {row['p50_ms']:6.1f} {row['mean_ms']:6.1f} {row['p99_ms']:6.1f} "
              f"{row['max_ms']:6.1f}  {row['over_16_7ms']:5d} of {row['n']:<5d}   "
              f"{row['total_s']:.2f} s")
    print(f"  ratio kiosk / bare: p50 {k['p50_ms'] / b['p50_ms']:.2f}x, "
          f"mean {k['mean_ms'] / b['mean_ms']:.2f}x")


if __name__ == "__main__":
    main()
