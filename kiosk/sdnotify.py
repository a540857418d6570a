"""systemd's notify protocol (sd_notify) over NOTIFY_SOCKET, with no dependency.

One datagram per message, ``KEY=VALUE`` lines (systemd's sd_notify(3)). Outside
systemd (no NOTIFY_SOCKET) every call is a no-op that returns False, so the same
code runs on a developer's desktop.

A watchdog ping says "this process is alive", so it must come from the thread whose
liveness matters: ``watchdog()`` refuses to run on any thread but the main one (a
side thread that pings keeps a frozen UI alive forever).
"""

from __future__ import annotations

import os
import socket
import threading


class OffMainThread(RuntimeError):
    """A watchdog ping was attempted from a thread other than the main thread."""


def _address() -> str | None:
    path = os.environ.get("NOTIFY_SOCKET", "")
    if not path or path[0] not in "/@":
        return None
    return "\0" + path[1:] if path[0] == "@" else path  # "@": the abstract namespace


def notify(*fields: str) -> bool:
    """Send ``fields`` (e.g. "READY=1", "STATUS=...") to systemd; True if sent."""
    address = _address()
    if address is None:
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
        try:
            sock.connect(address)
            sock.sendall("\n".join(fields).encode())
        except OSError:
            return False
    return True


def ready(status: str = "") -> bool:
    return notify("READY=1", *([f"STATUS={status}"] if status else []))


def status(text: str) -> bool:
    return notify(f"STATUS={text}")


def stopping() -> bool:
    return notify("STOPPING=1")


def watchdog() -> bool:
    """Ping the service watchdog. Raises OffMainThread unless on the main thread."""
    if threading.current_thread() is not threading.main_thread():
        raise OffMainThread(
            f"watchdog ping from thread {threading.current_thread().name!r}: "
            "only the main thread may ping"
        )
    return notify("WATCHDOG=1")


def watchdog_interval_s() -> float | None:
    """The unit's WatchdogSec in seconds, or None when no watchdog watches us.

    systemd sets WATCHDOG_PID to the unit's main process. Under ``cage --`` that is
    cage, our parent (the unit has NotifyAccess=all), so the parent counts too.
    """
    usec = os.environ.get("WATCHDOG_USEC", "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    pid = os.environ.get("WATCHDOG_PID", "")
    if pid and pid.isdigit() and int(pid) not in (os.getpid(), os.getppid()):
        return None
    return int(usec) / 1_000_000
