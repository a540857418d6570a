"""The device hub: starts the drivers from config and fans their events out.

Drivers call back on their own threads. UI subscribers get every event on the UI
thread through ``post``; ``statuses`` is readable from any thread (the health
reporter reads it). No screen polls a device.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PIL.Image import Image

from drivers.device import Action, DeviceState, DeviceStatus
from drivers.idcard.link import IdCardError
from drivers.idcard.protocol import IdCard
from drivers.idcard.reader import IdCardReader
from drivers.printer.driver import ReceiptPrinter
from drivers.printer.journal import Job, PrintJournal
from drivers.printer.profiles import PrinterProfile, profile
from drivers.printer.transport import Link, NetworkLink, SerialLink, UsbLink
from drivers.queue.driver import QueueDevice
from drivers.queue.protocol import Event as QueueEvent
from drivers.sscard.protocol import SocialSecurityCard
from drivers.sscard.reader import SocialSecurityCardReader
from kiosk.config import DevicesConfig, PrinterConfig
from kiosk.printing.printable import PrintJob
from kiosk.worker import Post

log = logging.getLogger(__name__)


def printer_link(config: PrinterConfig) -> Link:
    """Serial by default; network (raw TCP) or USB by config."""
    if config.connection == "network":
        return NetworkLink(config.host, config.tcp_port)
    if config.connection == "usb":
        vendor, product = (int(part, 16) for part in config.usb_id.split(":"))
        return UsbLink(vendor, product)
    return SerialLink(config.port, config.baud)


class DeviceHub:
    def __init__(self, config: DevicesConfig, post: Post, data_dir: Path | None = None):
        self._config = config
        self._post = post
        self._lock = threading.Lock()
        names = ("idcard", "printer", "sscard") if config.sscard else ("idcard", "printer")
        self._statuses = {name: DeviceStatus(name, DeviceState.STARTING) for name in names}
        self.card_listeners: list[Callable[[IdCard], None]] = []
        # A read that failed (card taken away mid-read ...): error.detail says so in zh/en.
        self.read_error_listeners: list[Callable[[IdCardError], None]] = []
        self.sscard_listeners: list[Callable[[SocialSecurityCard], None]] = []
        self.status_listeners: list[Callable[[DeviceStatus], None]] = []
        self.unfinished_print_jobs: list[Job] = []
        self._stop = threading.Event()
        self._reader = IdCardReader(
            config.idcard.port,
            config.idcard.baud,
            on_card=self._on_card,
            on_status=self._on_status,
            on_read_error=self._on_read_error,
        )
        self._sscard = (
            SocialSecurityCardReader(config.sscard.reader, on_card=self._on_sscard,
                                     on_status=self._on_status)
            if config.sscard else None
        )
        # The journal lives with the kiosk's data: jobs cut short survive a restart.
        journal = PrintJournal(Path(data_dir) / "printer-journal.sqlite3") if data_dir else None
        self.printer_profile: PrinterProfile = profile(config.printer.profile)
        self.printer = ReceiptPrinter(
            width=config.printer.width_dots, link=printer_link(config.printer),
            journal=journal, profile=self.printer_profile,
        )
        self._printer_poll = threading.Thread(
            target=self._poll_printer, name="printer-status", daemon=True
        )
        # Optional. Its commands block: call hub.queue.take_ticket() on a worker thread.
        self.queue: QueueDevice | None = None
        self.queue_listeners: list[Callable[[QueueEvent], None]] = []
        if config.queue is not None:
            self._statuses["queue"] = DeviceStatus("queue", DeviceState.STARTING)
            self.queue = QueueDevice(
                config.queue.port, config.queue.baud, addr=config.queue.address,
                on_status=self._on_status, on_event=self._on_queue_event,
                poll_interval=config.queue.status_poll_s,
            )  # fmt: skip

    @property
    def statuses(self) -> dict[str, DeviceStatus]:
        with self._lock:
            return dict(self._statuses)

    def start(self) -> None:
        self.unfinished_print_jobs = self.printer.unfinished()
        for job in self.unfinished_print_jobs:  # staff reprint with `python -m drivers printer`
            log.warning("printer: job %d (%s) unfinished from before: %s %s",
                        job.id, job.kind, job.state.value, job.detail)
        self._reader.start()
        if self._sscard:
            self._sscard.start()
        self._printer_poll.start()
        if self.queue is not None:
            self.queue.start()

    def stop(self) -> None:
        self._stop.set()
        self._reader.stop()
        if self.queue is not None:
            self.queue.stop()
        if self._sscard:
            self._sscard.stop()
        self._printer_poll.join(timeout=2)
        self.printer.close()
        self.printer.journal.close()

    def rearm_card(self) -> None:
        """A session starts: a card already on a reader is read again."""
        self._reader.rearm()
        if self._sscard:
            self._sscard.rearm()

    def print_image(self, image: Image) -> None:
        """Blocking: call from a worker thread. Raises PrinterError."""
        self._print(lambda: self.printer.print_image(image, kind="image"))

    def print_job(self, job: PrintJob) -> None:
        """Blocking: a document in the printer's own font and codes, or a raster; journaled
        under its key, so it never prints twice. Raises PrinterError."""
        if job.body is not None:
            self._print(lambda: self.printer.print_job(job.body, key=job.key, kind=job.kind))
        elif job.image is not None:
            self._print(lambda: self.printer.print_image(job.image, key=job.key, kind=job.kind))

    def _print(self, job: Callable[[], Job]) -> None:
        try:
            job()
        finally:  # the job may have used up the paper: tell everyone now, not at the next poll
            self._on_status(self._printer_status())

    # -- driver callbacks (driver threads) -------------------------------------
    def _on_card(self, card: IdCard) -> None:
        for listener in list(self.card_listeners):
            self._post(lambda listener=listener: listener(card))

    def _on_read_error(self, error: IdCardError) -> None:
        for listener in list(self.read_error_listeners):
            self._post(lambda listener=listener: listener(error))

    def _on_queue_event(self, event: QueueEvent) -> None:
        for listener in list(self.queue_listeners):
            self._post(lambda listener=listener: listener(event))
    def _on_sscard(self, card: SocialSecurityCard) -> None:
        for listener in list(self.sscard_listeners):
            self._post(lambda listener=listener: listener(card))

    def _on_status(self, status: DeviceStatus) -> None:
        with self._lock:
            if self._statuses.get(status.device) == status:
                return
            self._statuses[status.device] = status
        log.info("device %s is %s %s", status.device, status.state.value, status.detail)
        for listener in list(self.status_listeners):
            self._post(lambda listener=listener: listener(status))

    def _printer_status(self) -> DeviceStatus:
        try:
            return self.printer.status()
        except Exception as exc:  # a status query must never kill the poller
            return DeviceStatus("printer", DeviceState.OFFLINE, str(exc), Action.MAINTENANCE)

    def _poll_printer(self) -> None:
        while True:
            self._on_status(self._printer_status())
            if self._stop.wait(self._config.printer.status_poll_s):
                return
