"""``python -m ui --config FILE [--simulate]``: start the kiosk."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from typing import NoReturn

from kiosk.config import ConfigError, load_config
from ui.lockdown import CRASH_EXIT_CODE


def has_display() -> bool:
    if os.environ.get("SDL_VIDEODRIVER") == "offscreen":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


NO_DISPLAY = """\
kiosk: no display found (DISPLAY and WAYLAND_DISPLAY are unset).
  On a machine without a screen, start it on a virtual display instead:
    make run-headless          (the whole demo under Xvfb)
    xvfb-run -a python -m ui --config FILE --simulate
  or render offscreen:  SDL_VIDEODRIVER=offscreen python -m ui ..."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui", description=__doc__)
    parser.add_argument("--config", required=True, help="the kiosk's TOML configuration file")
    parser.add_argument(
        "--simulate", action="store_true",
        help="start the built-in device simulators on ptys and use them instead of real devices",
    )
    parser.add_argument(
        "--screenshot-every", type=float, default=0, metavar="S",
        help="write the screen to <data_dir>/screens/live.png every S seconds (headless demos)",
    )
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    # One handler for every logger, Kivy's included (prepare_kivy keeps Kivy's own off):
    # one line per event, each once. Under systemd the journal adds the time.
    logging.basicConfig(level=config.terminal.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 3

    simulators = None
    if args.simulate:
        from ui.simulate import start_simulators

        config, simulators = start_simulators(config)
    try:
        from ui.kivy_setup import prepare_kivy

        prepare_kivy(config)
    except ConfigError as exc:
        print(f"kiosk: {args.config}: {exc}", file=sys.stderr)
        return 2

    from ui.app import KioskApp
    from ui.lockdown import install_crash_handler, log_crash

    app = KioskApp(config, simulators=simulators, screenshot_every=args.screenshot_every,
                   config_path=args.config)
    # Ctrl-C / SIGTERM: stop the app cleanly so it says "offline" and closes devices.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_a: app.stop_from_signal())
    install_crash_handler()
    raise_for_test(os.environ.get(TEST_RAISE_ENV))
    try:
        app.run()
    except Exception as exc:  # in the main loop, or in build() before it
        log_crash(exc)  # type and frames only, once
        stop_after_crash(app)  # does not return
    return 0


# Test-only (tests/ui/test_lockdown.py): raise inside a Clock callback after S seconds.
TEST_RAISE_ENV = "KIOSK_TEST_RAISE_AFTER_S"


class InjectedCrash(RuntimeError):
    """Raised only by the test-only hook above."""


def raise_for_test(after_s: str | None) -> None:
    if not after_s:
        return
    from kivy.clock import Clock

    def crash(_dt: float) -> None:
        # A message like a real one that holds personal data: the log must not show it.
        raise InjectedCrash("citizen 110101199003071234 not found")

    Clock.schedule_once(crash, float(after_s))


def stop_after_crash(app) -> NoReturn:
    """Close devices and threads as far as they go, then leave: a crashed UI must
    exit (systemd restarts it), never hang on a thread that did not stop."""
    log = logging.getLogger("ui")
    try:
        app.on_stop()
    except Exception as exc:  # leaving anyway
        log.error("cleanup after the crash failed: %s", type(exc).__name__)
    log.critical("kiosk UI exits with %d, so that systemd restarts it", CRASH_EXIT_CODE)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(CRASH_EXIT_CODE)


if __name__ == "__main__":
    sys.exit(main())
