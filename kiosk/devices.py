"""The device hub: builds the drivers from config, starts, stops and re-arms them alike
(the driver contract, drivers/driver.py), and fans their events out.

Drivers publish on their own threads. The hub's topics (``card_read``,
``read_failed``, ``sscard_read``, ``status_changed``, ``queue_events``) deliver every
event to their subscribers on the UI thread through ``post``; ``statuses`` is readable
from any thread (the health reporter reads it). No screen polls a device.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PIL.Image import Image

from common.events import Topic
from drivers.device import DeviceStatus
from drivers.driver import Driver
from drivers.idcard.link import IdCardError
from drivers.idcard.protocol import IdCard
from drivers.idcard.reader import IdCardReader
from drivers.printer.device import PrinterDevice
from drivers.printer.driver import ReceiptPrinter
from drivers.printer.journal import Job, PrintJournal
from drivers.printer.profiles import PrinterProfile, profile
from drivers.printer.transport import Link, NetworkLink, SerialTransport, UsbLink
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
    return SerialTransport(config.port, config.baud)


class DeviceHub:
    def __init__(self, config: DevicesConfig, post: Post, data_dir: Path | None = None):
        self._config = config
        self._lock = threading.Lock()
        self.card_read: Topic[IdCard] = Topic("hub.card_read", dispatch=post)
        # A read that failed (card taken away mid-read ...): error.detail says so in zh/en.
        self.read_failed: Topic[IdCardError] = Topic("hub.read_failed", dispatch=post)
        self.sscard_read: Topic[SocialSecurityCard] = Topic("hub.sscard_read", dispatch=post)
        self.status_changed: Topic[DeviceStatus] = Topic("hub.status_changed", dispatch=post)
        self.queue_events: Topic[QueueEvent] = Topic("hub.queue_events", dispatch=post)
        self.unfinished_print_jobs: list[Job] = []
        reader = IdCardReader(
            config.idcard.port, config.idcard.baud,
            on_card=self.card_read.publish, on_read_error=self.read_failed.publish,
        )  # fmt: skip
        # The journal lives with the kiosk's data: jobs cut short survive a restart.
        journal = PrintJournal(Path(data_dir) / "printer-journal.sqlite3") if data_dir else None
        self.printer_profile: PrinterProfile = profile(config.printer.profile)
        self.printer = ReceiptPrinter(
            width=config.printer.width_dots, link=printer_link(config.printer),
            journal=journal, profile=self.printer_profile, confirm=config.printer.confirm,
        )  # fmt: skip
        self._printer = PrinterDevice(self.printer, poll_interval=config.printer.status_poll_s)
        self._drivers: list[Driver] = [reader, self._printer]
        if config.sscard:
            self._drivers.append(SocialSecurityCardReader(
                config.sscard.reader, on_card=self.sscard_read.publish))
        # Optional. Its commands block: call hub.queue.take_ticket() on a worker thread.
        self.queue: QueueDevice | None = None
        if config.queue is not None:
            self.queue = QueueDevice(
                config.queue.port, config.queue.baud, addr=config.queue.address,
                on_event=self.queue_events.publish, poll_interval=config.queue.status_poll_s,
            )  # fmt: skip
            self._drivers.append(self.queue)
        self._statuses = {d.device: d.status for d in self._drivers}
        for driver in self._drivers:
            driver.status_changed.subscribe(self._on_status)

    @property
    def statuses(self) -> dict[str, DeviceStatus]:
        with self._lock:
            return dict(self._statuses)

    def start(self) -> None:
        self.unfinished_print_jobs = self.printer.unfinished()
        for job in self.unfinished_print_jobs:  # staff reprint with `python -m drivers printer`
            log.warning("printer: job %d (%s) unfinished from before: %s %s",
                        job.id, job.kind, job.state.value, job.detail)
        for driver in self._drivers:
            driver.start()

    def stop(self) -> None:
        for driver in reversed(self._drivers):
            driver.stop()
        self.printer.journal.close()

    def rearm_card(self) -> None:
        """A session starts: every driver re-arms (a card already on a reader is read
        again; the printer and the queue device report afresh)."""
        for driver in self._drivers:
            driver.rearm()

    def print_image(self, image: Image) -> None:
        """Blocking: call from a worker thread. Raises PrinterError."""
        self._printer.print_image(image, kind="image")

    def print_job(self, job: PrintJob) -> None:
        """Blocking: a document in the printer's own font and codes, or a raster; journaled
        under its key, so it never prints twice. Raises PrinterError."""
        if job.body is not None:
            self._printer.print_job(job.body, key=job.key, kind=job.kind)
        elif job.image is not None:
            self._printer.print_image(job.image, key=job.key, kind=job.kind)

    # -- driver events (driver threads) ----------------------------------------
    def _on_status(self, status: DeviceStatus) -> None:
        with self._lock:
            if self._statuses.get(status.device) == status:
                return
            self._statuses[status.device] = status
        log.info("device %s is %s %s", status.device, status.state.value, status.detail)
        self.status_changed.publish(status)
