"""``python -m ui --config FILE [--simulate]``: start the kiosk."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys

from kiosk.config import ConfigError, load_config


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

    app = KioskApp(config, simulators=simulators, screenshot_every=args.screenshot_every,
                   config_path=args.config)
    # Ctrl-C / SIGTERM: stop the app cleanly so it says "offline" and closes devices.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_a: app.stop_from_signal())
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
