"""The queue-number device driver: a ``QueueLink`` owned by one thread.

The thread is the only one that touches the port. It runs the commands other
threads hand it (``take_ticket``, ``call`` ...: they block their caller, so call
them from a worker, never the UI thread), listens for key and rating events in
between, and asks for the device's status every ``poll_interval``. When the port
vanishes or the device stops answering it says so at once and reopens with a
growing delay until the device answers again; commands meanwhile fail at once.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from common.events import Topic
from drivers.device import Action, DeviceState, DeviceStatus
from drivers.events import NO_DETAIL, Detail
from drivers.link_driver import LinkDriver
from drivers.queue import protocol as q
from drivers.queue.link import DEFAULT_BAUD, QueueError, QueueLink, Stopped
from drivers.queue.protocol import Event, Flags, Ticket

log = logging.getLogger(__name__)
T = TypeVar("T")

DEVICE = "queue"
NOT_CONNECTED = Detail("queue device not connected", "叫号设备未连接")
_SLICE = 0.05  # longest wait for a command before listening to the line again
_COMMAND_WAIT = 15.0  # the most a caller waits: a status poll and a command, both retried
_STATES = {"no_device": DeviceState.NO_DEVICE}


def status_of(flags: Flags) -> tuple[DeviceState, Detail, Action]:
    """What the device's status flags mean for the kiosk."""
    if flags & Flags.PRINTER_FAULT:
        fault = Detail("ticket printer fault", "取号打印机故障")
        return DeviceState.HARDWARE_ERROR, fault, Action.MAINTENANCE
    if flags & Flags.PAPER_OUT:
        return DeviceState.USER_ERROR, Detail(*q.STATUS_TEXT[q.Status.PAPER_OUT]), Action.CLEAR
    if flags & (Flags.DISPLAY_FAULT | Flags.VOICE_FAULT):
        # Tickets still come out: usable, but an engineer should look at it.
        fault = Detail("voice fault", "语音故障")
        if flags & Flags.DISPLAY_FAULT:
            fault = Detail("display fault", "显示屏故障")
        return DeviceState.ONLINE, fault, Action.MAINTENANCE
    if flags & Flags.PAPER_LOW:
        return DeviceState.ONLINE, Detail("ticket paper low", "取号纸即将用完"), Action.CLEAR
    return DeviceState.ONLINE, NO_DETAIL, Action.NONE


class QueueDevice(LinkDriver):
    thread_name = "queue-device"

    def __init__(
        self,
        port: str,
        baud: int = DEFAULT_BAUD,
        *,
        addr: int = 1,
        on_status: Callable[[DeviceStatus], None] | None = None,
        on_event: Callable[[Event], None] | None = None,
        poll_interval: float = 2.0,
        timeout: float = 0.3,
        retries: int = 3,
        reopen_interval: float = 0.5,
        reopen_max: float = 8.0,
    ) -> None:
        stop = threading.Event()
        # Keys pressed and ratings given on the device (on the device thread).
        self.events: Topic[Event] = Topic("on_event", logger=log)
        if on_event is not None:
            self.events.subscribe(on_event)
        link = QueueLink(port, baud, addr=addr, timeout=timeout, retries=retries,
                         on_event=self.events.publish, stop=stop)  # fmt: skip
        super().__init__(
            DEVICE, link, stop, on_status=on_status,
            reopen_interval=reopen_interval, reopen_max=reopen_max, log=log,
        )  # fmt: skip
        self._link: QueueLink = link  # the subclass, for its commands
        self._jobs: queue.Queue[tuple[Future[Any], Callable[[QueueLink], Any]]] = queue.Queue()
        self._poll_interval = poll_interval
        self._poll_now = threading.Event()

    def rearm(self) -> None:
        """A session starts: ask the device for its status at the next turn of the loop."""
        self._poll_now.set()

    # --- commands (blocking: call from a worker thread) -----------------------------

    def take_ticket(self, business: int, priority: int = 0) -> Ticket:
        """A new ticket; QueueError (kind "paper_out", "busy", "no_answer" ...) if none."""
        return self._submit(lambda link: link.take_ticket(business, priority))

    def call(self, window: int, ticket: str) -> None:
        self._submit(lambda link: link.call(window, ticket))

    def recall(self, window: int) -> None:
        self._submit(lambda link: link.recall(window))

    def skip(self, window: int) -> None:
        self._submit(lambda link: link.skip(window))

    def pause(self, window: int) -> None:
        self._submit(lambda link: link.pause(window))

    def resume(self, window: int) -> None:
        self._submit(lambda link: link.resume(window))

    def show_text(self, line: int, text: str, effect: int = 0) -> None:
        self._submit(lambda link: link.show_text(line, text, effect))

    def speak(self, text: str) -> None:
        self._submit(lambda link: link.speak(text))

    def _submit(self, job: Callable[[QueueLink], T]) -> T:
        if self.status.state in (DeviceState.OFFLINE, DeviceState.NO_DEVICE) or not self._thread:
            raise QueueError("offline", NOT_CONNECTED)  # fail now, not after the retries
        future: Future[T] = Future()
        self._jobs.put((future, job))
        try:
            return future.result(_COMMAND_WAIT)
        except FutureTimeout:
            future.cancel()  # not run later, when nobody waits for its ticket
            raise QueueError("no_answer", NOT_CONNECTED) from None

    # --- the device thread ----------------------------------------------------------

    def _run(self) -> None:
        next_poll = 0.0
        while not self._stop.is_set():
            try:
                if not self._link.is_open:
                    self._link.open()
                    log.info("queue device answers on %s", self._link.port)
                    next_poll = 0.0
                if time.monotonic() >= next_poll or self._poll_now.is_set():
                    self._poll_now.clear()
                    next_poll = time.monotonic() + self._poll_interval
                    self._status.set(*status_of(self._link.state().flags))
                    self._backoff.reset()
                self._serve_one()
                self._link.poll_events(0)
            except Stopped:
                break  # stopping is not a fault: the status stays as it was
            except QueueError as e:
                self._failed(e)
                if e.device_fault:
                    self._fail_waiting(e)
                    self._stop.wait(self._backoff.next())
        self._link.close()
        self._fail_waiting(QueueError("offline", NOT_CONNECTED))

    def _serve_one(self) -> None:
        try:
            future, job = self._jobs.get(timeout=_SLICE)
        except queue.Empty:
            return
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(job(self._link))
        except QueueError as e:
            self._failed(e)  # first: the caller may look at the status as soon as it wakes
            future.set_exception(e)
            if e.device_fault:
                raise  # the loop backs off and reconnects
        except Stopped:
            future.set_exception(QueueError("offline", NOT_CONNECTED))
            raise
        except Exception as e:  # e.g. a ticket text the protocol cannot carry
            future.set_exception(e)

    def _fail_waiting(self, error: QueueError) -> None:
        while True:
            try:
                future, _ = self._jobs.get_nowait()
            except queue.Empty:
                return
            if future.set_running_or_notify_cancel():
                future.set_exception(error)

    def _failed(self, error: QueueError) -> None:
        if error.kind == "paper_out":
            self._status.set(DeviceState.USER_ERROR, error.detail, Action.CLEAR)
        elif error.kind == "device_fault":
            self._status.set(DeviceState.HARDWARE_ERROR, error.detail, Action.MAINTENANCE)
        elif error.device_fault:
            self._link.close()
            state = _STATES.get(error.kind, DeviceState.OFFLINE)
            self._status.set(state, error.detail, Action.MAINTENANCE)
