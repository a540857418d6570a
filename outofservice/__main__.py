"""``python -m outofservice --config FILE``: show the out-of-service screen until stopped.

kiosk-out-of-service.service runs it when kiosk-ui.service has failed (OnFailure=).
It draws on the framebuffer (``--fb``), or into a PNG (``--output``, for tests and
offscreen machines), or as text on the console when there is no framebuffer, and
redraws every ``--redraw-s`` (something else may have drawn over it).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from pathlib import Path

from kiosk import sdnotify
from outofservice.draw import Framebuffer, render, show_text
from outofservice.notice import read_notice

log = logging.getLogger("outofservice")


def draw_once(args: argparse.Namespace) -> str:
    notice = read_notice(args.config)
    if args.output:
        tmp = args.output.with_suffix(".tmp.png")
        render(notice, tuple(args.size)).save(tmp)
        tmp.replace(args.output)  # a reader never sees half a picture
        return f"drawn to {args.output}"
    try:
        fb = Framebuffer(args.fb)
        fb.show(render(notice, fb.size))
        return f"drawn on {args.fb} ({fb.size[0]}x{fb.size[1]})"
    except (OSError, ValueError) as exc:
        show_text(notice, args.tty)
        return f"no framebuffer ({exc}): text on {args.tty}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m outofservice", description=__doc__)
    parser.add_argument("--config", type=Path, default=Path("/etc/kiosk/kiosk.toml"))
    parser.add_argument("--fb", type=Path, default=Path("/dev/fb0"))
    parser.add_argument("--tty", type=Path, default=Path("/dev/tty1"))
    parser.add_argument("--output", type=Path, help="draw into this PNG instead")
    parser.add_argument("--size", type=int, nargs=2, default=(1080, 1920), metavar=("W", "H"))
    parser.add_argument("--redraw-s", type=float, default=30.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    signal.signal(signal.SIGTERM, lambda *_a: sys.exit(0))
    log.info("out of service: %s", draw_once(args))
    sdnotify.ready("out-of-service screen shown")
    while True:
        time.sleep(args.redraw_s)
        try:
            draw_once(args)
        except Exception:  # keep the last picture up rather than die
            log.exception("redraw failed")


if __name__ == "__main__":
    sys.exit(main())
