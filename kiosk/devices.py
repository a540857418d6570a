"""The device hub: starts the drivers from config and fans their events out.

Drivers call back on their own threads. UI subscribers get every event on the UI
thread through ``post``; ``statuses`` is readable from any thread (the health
reporter reads it). No screen polls a device.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PIL.Image import Image

from drivers.device import Action, DeviceState, DeviceStatus
from drivers.idcard.link import IdCardError
from drivers.idcard.protocol import IdCard
from drivers.idcard.reader import IdCardReader
from drivers.printer.driver import ReceiptPrinter
from drivers.queue.driver import QueueDevice
from drivers.queue.protocol import Event as QueueEvent
from kiosk.config import DevicesConfig
from kiosk.worker import Post

log = logging.getLogger(__name__)


class DeviceHub:
    def __init__(self, config: DevicesConfig, post: Post):
        self._config = config
        self._post = post
        self._lock = threading.Lock()
        self._statuses = {
            name: DeviceStatus(name, DeviceState.STARTING) for name in ("idcard", "printer")
        }
        self.card_listeners: list[Callable[[IdCard], None]] = []
        # A read that failed (card taken away mid-read ...): error.detail says so in zh/en.
        self.read_error_listeners: list[Callable[[IdCardError], None]] = []
        self.status_listeners: list[Callable[[DeviceStatus], None]] = []
        self._stop = threading.Event()
        self._reader = IdCardReader(
            config.idcard.port,
            config.idcard.baud,
            on_card=self._on_card,
            on_status=self._on_status,
            on_read_error=self._on_read_error,
        )
        self.printer = ReceiptPrinter(
            config.printer.port, config.printer.baud, width=config.printer.width_dots
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
        self._reader.start()
        self._printer_poll.start()
        if self.queue is not None:
            self.queue.start()

    def stop(self) -> None:
        self._stop.set()
        self._reader.stop()
        if self.queue is not None:
            self.queue.stop()
        self._printer_poll.join(timeout=2)
        self.printer.close()

    def rearm_card(self) -> None:
        """A session starts: a card already on the reader is read again."""
        self._reader.rearm()

    def print_image(self, image: Image) -> None:
        """Blocking: call from a worker thread. Raises PrinterError."""
        try:
            self.printer.print_image(image)
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
