"""The one driver contract: every device (ID card reader, social security card reader,
receipt printer, queue device) is a ``Driver``.

- ``start()`` starts the device's own thread (again after a ``stop``); a second call
  while it runs does nothing.
- ``stop(timeout)`` ends the thread, waits for it and releases the device.
- ``status`` is the latest ``DeviceStatus``, readable from any thread;
  ``status_changed`` (a ``Topic``) tells subscribers of each change, once, on the
  driver's thread.
- ``rearm()`` is called when a session starts: the device reports afresh (a card
  already on a reader is delivered again; the printer and the queue device are asked
  for their status at once).

A subclass writes ``_run`` (the thread's loop, which ends when ``self._stop`` is set)
and may add ``_starting`` (reset per-run state), ``_wake`` (interrupt a blocking wait)
and ``_released`` (close the port once the thread is gone).
"""

from __future__ import annotations

import logging
import threading
from typing import ClassVar

from common.events import Topic
from drivers.device import DeviceStatus
from drivers.events import StatusCallback, StatusEmitter


class Driver:
    thread_name: ClassVar[str] = "device"

    def __init__(
        self,
        device: str,
        *,
        on_status: StatusCallback | None = None,
        stop: threading.Event | None = None,
        log: logging.Logger,
    ) -> None:
        self.device = device
        self._stop = stop or threading.Event()  # may be shared with a link: stop interrupts it
        self._log = log
        self._status = StatusEmitter(device, on_status, log)
        self._thread: threading.Thread | None = None

    @property
    def status(self) -> DeviceStatus:
        return self._status.status

    @property
    def status_changed(self) -> Topic[DeviceStatus]:
        return self._status.topic

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._starting()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread, wait for it and release the device."""
        self._stop.set()
        self._wake()
        thread, self._thread = self._thread, None
        if thread is threading.current_thread():
            return  # called from a listener: the loop ends and releases the device itself
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                self._log.warning("%s thread did not stop within %.1f s", self.thread_name,
                                  timeout)  # fmt: skip
                return  # it still owns the device; it releases it on its way out
        self._released()

    def rearm(self) -> None:
        """A session starts: report afresh (a subclass says what that means for it)."""
        self._wake()

    # -- for subclasses ------------------------------------------------------------------
    def _starting(self) -> None:
        """Reset per-run state before the thread starts."""

    def _wake(self) -> None:
        """Interrupt a blocking wait of the thread (stop and rearm call it)."""

    def _released(self) -> None:
        """The thread is gone: close what it held."""

    def _run(self) -> None:
        raise NotImplementedError
