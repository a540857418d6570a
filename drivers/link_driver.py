"""The life of a driver that owns a serial link on a thread of its own.

Only that thread touches the port. ``start`` and ``stop`` are the same for every
such device; what the thread does with the link (poll for cards, serve ticket
requests) is the subclass's ``_run``, which ends when ``self._stop`` is set and closes
the link on its way out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from drivers.device import DeviceStatus
from drivers.events import Backoff, StatusEmitter
from drivers.serial_link import SerialLink


class LinkDriver:
    thread_name = "device"

    def __init__(
        self,
        device: str,
        link: SerialLink,
        stop: threading.Event,
        *,
        on_status: Callable[[DeviceStatus], None] | None,
        reopen_interval: float,
        reopen_max: float,
        log: logging.Logger,
    ) -> None:
        self._stop = stop  # shared with the link, so a stop interrupts its waits
        self._link = link
        self._log = log
        self._status = StatusEmitter(device, on_status, log)
        # A device unplugged for the night is not hammered; one plugged back is found fast.
        self._backoff = Backoff(reopen_interval, max(reopen_interval, reopen_max))
        self._thread: threading.Thread | None = None

    @property
    def status(self) -> DeviceStatus:
        return self._status.status

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._starting()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread, wait for it and close the port."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is threading.current_thread():
            return  # called from a callback: the loop ends and closes the port itself
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                self._log.warning("%s thread did not stop within %.1f s", self.thread_name,
                                  timeout)  # fmt: skip
                return  # it still owns the port; it closes it on its way out
        self._link.close()

    def _starting(self) -> None:
        """Reset per-run state before the thread starts (a subclass may add to it)."""

    def _run(self) -> None:
        raise NotImplementedError
