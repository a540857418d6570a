"""No way out of the kiosk for a citizen (what the app itself can block).

The compositor blocks the rest: cage runs one fullscreen window with no other
client, and provisioning's cage.env turns VT switching (Ctrl+Alt+F*) off.
systemd/README.md ("Lockdown") lists which layer blocks what.
"""

from __future__ import annotations

import logging
import traceback

log = logging.getLogger(__name__)
CRASH_EXIT_CODE = 70  # EX_SOFTWARE: non-zero, so that Restart=on-failure restarts the UI
_reported: set[int] = set()  # id() of exceptions already logged by the main loop's handler


def lock_kivy_config() -> None:
    """Before the window: no Kivy module (inspector, monitor, touchring, keybinding's
    F12 screenshots ...) is activated, whatever a config.ini in KIVY_HOME says."""
    from kivy.config import Config

    for name in Config.options("modules"):
        Config.remove_option("modules", name)
    Config.set("kivy", "exit_on_escape", "0")
    # A right click on the mouse provider would leave a red multitouch-emulation dot.
    Config.set("input", "mouse", "mouse,disable_multitouch")


def crash_report(exc: BaseException) -> str:
    """The exception's type and where it was raised, frame by frame; never its message,
    which may hold a citizen's data (a name, an ID number in a parse error ...)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{f.filename}:{f.lineno} in {f.name}" for f in reversed(frames))
    return f"{type(exc).__module__}.{type(exc).__qualname__} at {where or '?'}"


def log_crash(exc: BaseException) -> None:
    """Once per exception, whether Kivy's main loop or the launcher saw it first."""
    if id(exc) not in _reported:
        _reported.add(id(exc))
        log.critical("kiosk UI crashed: %s", crash_report(exc))


def install_crash_handler() -> None:
    """An exception in Kivy's main loop leaves it (no handler may PASS it and carry on
    with a half-broken screen); ``ui.__main__`` then exits with CRASH_EXIT_CODE."""
    from kivy.base import ExceptionHandler, ExceptionManager

    class LogAndLeave(ExceptionHandler):
        def handle_exception(self, inst: BaseException) -> int:
            if isinstance(inst, Exception):
                log_crash(inst)
            return ExceptionManager.RAISE

    ExceptionManager.policy = ExceptionManager.RAISE
    ExceptionManager.handlers[:] = [LogAndLeave()]
