"""The receipt printer under the driver contract (drivers/driver.py): a thread of its own
asks for its status every ``poll_interval`` (and at once on ``rearm`` or after a job),
and publishes each change on ``status_changed``.

Jobs are blocking calls from the caller's thread (a worker's, never the UI's); the
printer's lock keeps a status query off the line while a job is on it, so a poll
during a job answers BUSY at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PIL.Image import Image

from drivers.device import Action, DeviceState, DeviceStatus
from drivers.driver import Driver
from drivers.events import Detail, StatusCallback
from drivers.printer.driver import ReceiptPrinter
from drivers.printer.journal import Job
from drivers.printer.status import DEVICE, status

log = logging.getLogger(__name__)

QUERY_FAILED = Detail("status query failed", "打印机状态查询失败")


class PrinterDevice(Driver):
    thread_name = "printer-status"

    def __init__(
        self,
        printer: ReceiptPrinter,
        *,
        on_status: StatusCallback | None = None,
        poll_interval: float = 10.0,
    ) -> None:
        super().__init__(DEVICE, on_status=on_status, log=log)
        self.printer = printer
        self._poll_interval = poll_interval
        self._poll_now = threading.Event()

    # -- jobs (blocking: call from a worker thread) ----------------------------------------
    def print_job(self, body: bytes, key: str | None = None, kind: str = "") -> Job:
        return self._after(lambda: self.printer.print_job(body, key=key, kind=kind))

    def print_image(self, img: Image, key: str | None = None, kind: str = "image") -> Job:
        return self._after(lambda: self.printer.print_image(img, key=key, kind=kind))

    def unfinished(self) -> list[Job]:
        return self.printer.unfinished()

    def _after(self, job: Callable[[], Job]) -> Job:
        try:
            return job()
        finally:  # the job may have used up the paper: tell everyone now, not at the next poll
            self.poll()

    # -- status -----------------------------------------------------------------------------
    def poll(self) -> DeviceStatus:
        """Ask the printer now (any thread); a change is published."""
        try:
            now = self.printer.status()
        except Exception as exc:  # a status query must never kill the poller
            log.warning("printer status query raised %s", type(exc).__name__)
            now = status(DeviceState.OFFLINE, QUERY_FAILED, Action.MAINTENANCE)
        self._status.publish(now)
        return now

    def rearm(self) -> None:
        self._poll_now.set()

    def _wake(self) -> None:
        self._poll_now.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._poll_now.clear()
            self.poll()
            self._poll_now.wait(self._poll_interval)

    def _released(self) -> None:
        self.printer.close()
