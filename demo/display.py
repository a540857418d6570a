"""A virtual display for the demo on a machine with no screen.

`make run` on a server or in CI has no DISPLAY: rather than stop, the demo starts
Xvfb itself, puts the kiosk on it and writes what the screen shows to a PNG. Xvfb
picks its own free display number (``-displayfd``), so two demos never fight over
``:99``.
"""

from __future__ import annotations

import os
import select
import shutil
from pathlib import Path

SCREEN = "1280x1024x24"
START_TIMEOUT_S = 15.0


class DisplayError(RuntimeError):
    """Xvfb is missing or did not come up; the message says what to do."""


def start_xvfb(start) -> str:
    """Start Xvfb through ``start(name, argv, pass_fds)`` and return its DISPLAY (":N")."""
    exe = shutil.which("Xvfb")
    if exe is None:
        raise DisplayError("no display, and Xvfb is not installed: run `make setup` (as root)")
    read_fd, write_fd = os.pipe()
    try:
        proc = start("virtual display", [exe, "-displayfd", str(write_fd), "-screen", "0",
                                         SCREEN, "-nolisten", "tcp"], (write_fd,))
    finally:
        os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        ready, _w, _x = select.select([pipe], [], [], START_TIMEOUT_S)
        number = pipe.readline().strip() if ready else ""
    if not number.isdigit():
        code = proc.poll()
        raise DisplayError(f"Xvfb did not report a display within {START_TIMEOUT_S:.0f} s"
                           + (f" (it exited with code {code})" if code is not None else ""))
    return f":{number}"


def where_to_look(display: str, screens: Path, console_url: str) -> str:
    viewer = f"x11vnc -display {display} -localhost"
    viewer = (f"\n  to watch it live: {viewer}, then a VNC viewer on 127.0.0.1:5900"
              if shutil.which("x11vnc") else
              f"\n  to watch it live, install x11vnc and run: {viewer}")
    return (f"demo: no screen here, so the kiosk runs on a virtual display ({display}).\n"
            f"  what it shows: {screens / 'live.png'} (written every 3 s)\n"
            f"  the fleet console: {console_url}{viewer}")
