"""Touch to next screen for each citizen function, against a bare Kivy screen switch.

    .venv/bin/python -m bench.ui_latency [--runs N] [--quick]

The real kiosk app with the demo back end as a subprocess on loopback, mosquitto and
the ID card reader and printer simulators on real ptys, started as the robot tests
start them (``tests/robot/world.running_kiosk``; the social security card reader is
left out, so no wait for the machine-wide pcscd lock) and driven with real touch
events. For each function: from the touch (down and up) to the end of the first frame
(``Window`` on_flip, the swap included) that shows the next screen filled with the
back end's answer. Kivy's 60 fps frame clock runs as in the kiosk, so even a trivial
switch costs about one frame.

Baseline, same run: a bare Kivy app whose button switches to a second trivial screen,
measured by the same function (``bench/bare_ui.py switch``). Where the time goes, each
as the median over the touches (``timers``): the back end, as the time the kiosk's HTTP
client spends in the request (loopback and request signing included); the worker's
whole job (the request, JSON decoding and validation); the journal's SQLite commit;
the UI thread's refresh of the screen. The rest is Kivy's frames: laying out, making
label textures, drawing (Mesa's llvmpipe, on the CPU), waiting for the frame clock.
A screen is built on its first visit (``screens.LazyScreenManager``): runs that built
one are reported apart.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.ui_functions import Function, functions
from bench.ui_measure import REPO, offscreen_env, summary_ms

SHOTS = REPO / "var" / "screenshots" / "bench"


class Timed:
    """Times every call of one method, from any thread (a wrapper on the class)."""

    def __init__(self, owner: type, method: str,
                 skip: Callable[[tuple], bool] = lambda _args: False) -> None:
        self.calls: list[tuple[float, float, tuple]] = []
        original, calls = getattr(owner, method), self.calls

        @functools.wraps(original)  # Kivy's WeakMethod finds a method by its __name__
        def timed(*args, **kw):
            start = time.perf_counter()
            try:
                return original(*args, **kw)
            finally:
                if not skip(args):
                    calls.append((start, time.perf_counter(), args))

        setattr(owner, method, timed)

    def within(self, start: float, end: float, seconds=lambda s, e, _args: e - s) -> float:
        """Seconds spent in calls made between ``start`` and ``end``; ``seconds`` may
        read them from a call's arguments instead."""
        return sum(seconds(s, e, a) for s, e, a in self.calls if s >= start and e <= end)


def timers() -> dict[str, Callable[[float, float], float]]:
    """Where the time goes, each on its own: the HTTP request (health probes aside),
    the worker's whole job (request, JSON decoding and validation: the duration the
    journal records), the journal's SQLite commit (synchronous=FULL, before the citizen
    sees the answer) and the UI thread's refresh of the screen shown."""
    from kiosk.journal import Journal
    from kiosk.services.gateway import BackendClient

    send = Timed(BackendClient, "_send", skip=lambda a: a[2].endswith("/health"))
    journal = Timed(Journal, "record")  # record(self, ref, service, outcome, duration_s)
    return {
        "backend": send.within,
        "worker": lambda s, e: journal.within(s, e, lambda _s, _e, args: args[4]),
        "journal": journal.within,
    }


def time_refreshes(app, timed: dict) -> None:
    """Add the UI refresh to ``timed``: the app's refresh trigger holds its method, so
    the trigger is made again over the timed one."""
    from kivy.clock import Clock

    refresh = Timed(type(app), "_refresh_current")
    app._refresh_trigger = Clock.create_trigger(app._refresh_current)
    timed["refresh"] = refresh.within


@contextlib.contextmanager
def kiosk_world(window: tuple[int, int] | None = None) -> Iterator[object]:
    """The robot tests' kiosk, offscreen, without the social security card reader;
    ``window``: its size in pixels, if not the demo's 540x960."""
    offscreen_env()
    from kiosk.config import load_config
    from ui.kivy_setup import prepare_kivy

    prepare_kivy(load_config(REPO / "config" / "kiosk.toml"))
    from kivy.logger import Logger

    for logger in (Logger, logging.getLogger()):  # the figures, not every request's log
        logger.setLevel(logging.WARNING)
    from tests.robot.world import running_kiosk

    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp, \
            running_kiosk(Path(tmp), sscard=False, window=window) as world:
        session = world.app.session  # touches keep it alive; waits must not end it
        session.config = session.config.model_copy(
            update={"idle_timeout_s": 600, "warning_s": 10})
        yield world


# -- measuring -----------------------------------------------------------------------
def measure_function(world, fn: Function, runs: int, timed: dict) -> dict:
    from backend.citizens import DEMO_CITIZENS
    from bench.ui_measure import touch_to_frame
    from tests.robot.kivy_robot import frames, screenshot
    from tests.robot.steps import back_to_attract, identify

    app = world.app
    citizen = next(c for c in DEMO_CITIZENS if c.name == fn.citizen)
    identify(world, citizen)
    fn.enter(world)
    steady, first = [], []
    shares: dict[str, list[float]] = {name: [] for name in timed}
    for run in range(runs):
        frames(3)  # the screen touched is laid out
        built = set(app.screens.build_seconds)
        start = time.perf_counter()
        seconds = touch_to_frame(fn.target(app), lambda: fn.shown(app))
        end = time.perf_counter()
        new = sorted(set(app.screens.build_seconds) - built)
        if new:  # a screen built on its first visit
            first.append({"latency_ms": round(1000 * seconds, 1), "built": new,
                          "build_ms": {n: round(1000 * app.screens.build_seconds[n], 1)
                                       for n in new}})
        else:
            steady.append(seconds)
            for name, within in timed.items():
                shares[name].append(within(start, end))
        if run == 0:
            screenshot(SHOTS, "latency-" + fn.name.split(" ", 1)[1].split(" (")[0]
                       .replace(" ", "-").replace(",", ""))
        fn.again(world)
    back_to_attract(world)
    return {"function": fn.name, **summary_ms(steady),
            **{f"{name}_p50_ms": round(1000 * statistics.median(v), 1)
               for name, v in shares.items()},
            "first_visits": first}


def bare_baseline(runs: int) -> list[float]:
    out = subprocess.run([sys.executable, str(REPO / "bench" / "bare_ui.py"), "switch",
                          "--runs", str(runs)], cwd=REPO, capture_output=True, text=True,
                         timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(runs: int) -> dict:
    bare = bare_baseline(runs)
    timed = timers()
    with kiosk_world() as world:
        time_refreshes(world.app, timed)
        rows = [measure_function(world, fn, runs, timed) for fn in functions()]
        build_ms = {n: round(1000 * s, 1) for n, s in world.app.screens.build_seconds.items()}
    return {"runs": runs, "bare": summary_ms(bare), "functions": rows,
            "screen_build_ms": build_ms}


def report(result: dict) -> None:
    bare = result["bare"]
    print(f"touch to the frame showing the answer, {result['runs']} touches each "
          f"(demo back end on loopback, offscreen):")
    print(f"  {'(ms)':40s} {'p50':>6s} {'p99':>6s} {'p50/bare':>8s}   p50 of: "
          f"{'back end':>8s} {'worker':>6s} {'journal':>7s} {'refresh':>7s}")
    print(f"  {pad('bare Kivy: button to a second screen', 40)} {bare['p50_ms']:6.1f} "
          f"{bare['p99_ms']:6.1f} {1:7.2f}x")
    for row in result["functions"]:
        ratio = row["p50_ms"] / bare["p50_ms"]
        print(f"  {pad(row['function'], 40)} {row['p50_ms']:6.1f} {row['p99_ms']:6.1f} "
              f"{ratio:7.2f}x {'':8s} {row['backend_p50_ms']:8.1f} {row['worker_p50_ms']:6.1f} "
              f"{row['journal_p50_ms']:7.1f} {row['refresh_p50_ms']:7.1f}")
    print("  first visit (the screen built then), not counted above:")
    for row in result["functions"]:
        for visit in row["first_visits"]:
            built = ", ".join(f"{n} {ms:.0f} ms" for n, ms in visit["build_ms"].items())
            print(f"    {pad(row['function'], 38)} {visit['latency_ms']:6.1f} ms  (built {built})")


def pad(text: str, width: int) -> str:
    """Left-justify for a terminal: a CJK character takes two columns."""
    wide = sum(1 for ch in text if ord(ch) > 0x2E80)
    return text + " " * max(0, width - len(text) - wide)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ui_latency")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="3 runs: does it work?")
    parser.add_argument("--json", type=Path, default=REPO / "var" / "bench" / "ui_latency.json")
    args = parser.parse_args(argv)
    result = measure(3 if args.quick else args.runs)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    report(result)


if __name__ == "__main__":
    main()
