"""One conversation with a queue-number device over a serial port: blocking, one thread.

A request that gets no reply within the timeout, or a CRC-error reply, is sent
again byte for byte (same SEQ) up to ``retries`` times: the device does not do a
repeated request twice, so a retried "take ticket" never issues two tickets.
Key and rating events the device sends on its own are acknowledged, deduplicated
(the device repeats an event until acknowledged) and handed to ``on_event``.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from drivers.events import NO_ANSWER, Detail, call_safely
from drivers.queue import protocol as q
from drivers.queue.framing import FrameSplitter
from drivers.queue.protocol import Cmd, Event, Frame, QueueProtocolError, Status, Ticket
from drivers.serial_link import LinkError, SerialLink, Stopped

__all__ = ["DEFAULT_BAUD", "QueueError", "QueueLink", "Stopped"]

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_BAUD = 9600
DEVICE_KINDS = ("no_device", "port_in_use", "serial", "no_answer", "offline")
_KINDS = {Status.BUSY: "busy", Status.PAPER_OUT: "paper_out",
          Status.BAD_PARAMETER: "bad_parameter", Status.CRC_ERROR: "crc_error",
          Status.DEVICE_FAULT: "device_fault"}  # fmt: skip


class QueueError(LinkError):
    """Why a request failed: ``kind`` for code, ``detail`` in en and zh. Never personal."""

    DEVICE_KINDS = DEVICE_KINDS


def _parsed(decode: Callable[[Frame], T], reply: Frame) -> T:
    try:
        return decode(reply)
    except QueueProtocolError as e:
        raise QueueError("bad_reply", Detail(f"unexpected reply: {e}", "应答格式错误")) from e


class QueueLink(SerialLink):
    error = QueueError
    read_slice = 0.02

    def __init__(
        self,
        port: str,
        baud: int = DEFAULT_BAUD,
        *,
        addr: int = 1,
        timeout: float = 0.3,
        retries: int = 3,
        on_event: Callable[[Event], None] | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        super().__init__(port, baud, stop=stop)
        self.addr = addr
        self.timeout, self.retries = timeout, retries
        self.on_event = on_event
        self._frames = FrameSplitter()
        # A fresh SEQ per process, so a restarted host's first request is not taken
        # for a repeat of the last one its predecessor sent.
        self._seq = random.randrange(256)
        self._last_event: tuple[int, int, bytes] | None = None

    def handshake(self) -> None:
        """A fresh line starts with no half frame, and the device must answer a ping."""
        self._frames.clear()
        self.ping()

    # --- the commands -----------------------------------------------------------------

    def ping(self) -> None:
        self.command(Cmd.PING)

    def take_ticket(self, business: int, priority: int = 0) -> Ticket:
        """A new ticket; QueueError (kind "paper_out", "busy", "no_answer" ...) if none."""
        reply = self.command(Cmd.TAKE_TICKET, q.take_ticket(business, priority))
        return _parsed(q.decode_ticket, reply)

    def state(self) -> q.DeviceState:
        return _parsed(q.decode_state, self.command(Cmd.STATUS))

    def call(self, window: int, ticket: str) -> None:
        self.command(Cmd.CALL, q.window_ticket(window, ticket))

    def recall(self, window: int) -> None:
        self.command(Cmd.RECALL, q.window_data(window))

    def skip(self, window: int) -> None:
        self.command(Cmd.SKIP, q.window_data(window))

    def pause(self, window: int) -> None:
        self.command(Cmd.PAUSE, q.window_data(window))

    def resume(self, window: int) -> None:
        self.command(Cmd.RESUME, q.window_data(window))

    def show_text(self, line: int, text: str, effect: int = 0) -> None:
        self.command(Cmd.SHOW_TEXT, q.show_text(line, effect, text))

    def speak(self, text: str) -> None:
        self.command(Cmd.SPEAK, q.encode_text(text))

    def command(self, cmd: Cmd, data: bytes = b"") -> Frame:
        """Send a request, retrying on silence; the OK reply, or QueueError."""
        reply = self.request(cmd, data)
        if reply.status != Status.OK:
            status = Status(reply.status)
            raise QueueError(_KINDS[status], Detail(*q.STATUS_TEXT[status]))
        return reply

    def request(self, cmd: Cmd, data: bytes = b"") -> Frame:
        """Send a request and return the device's reply, whatever its status."""
        self._seq = (self._seq + 1) % 256
        raw = q.encode(Frame(self.addr, self._seq, cmd, data))
        # The timeout starts when the request has left: at 9600 baud a long text
        # takes 0.2 s on the wire before the device has even seen its end.
        wait = self.timeout + (len(raw) + 16) * 10 / self.baud
        for attempt in range(1 + self.retries):
            if attempt:
                log.info("no reply to %s (seq %d): sending it again", cmd.name, self._seq)
            with self._port_errors():
                self._serial.write(raw)
                reply = self._await(self._seq, cmd | q.REPLY, time.monotonic() + wait)
            if reply is not None and reply.status != Status.CRC_ERROR:
                return reply
        raise QueueError("no_answer", NO_ANSWER)

    def poll_events(self, duration: float) -> None:
        """Listen for ``duration`` seconds, acknowledging and handing on events."""
        with self._port_errors():
            self._await(None, None, time.monotonic() + duration)

    # --- the line ---------------------------------------------------------------------

    def _await(self, seq: int | None, cmd: int | None, deadline: float) -> Frame | None:
        while True:
            chunk = self._read_some()
            for raw in self._frames.feed(chunk):
                frame = q.decode(raw)  # the splitter checked LEN, ETX and CRC
                if frame.addr != self.addr:
                    continue
                if frame.is_reply:
                    if (frame.seq, frame.cmd) == (seq, cmd) and frame.data:
                        return frame
                    continue  # a late reply to an earlier request
                self._event(frame)
            if time.monotonic() >= deadline:
                return None

    def _event(self, frame: Frame) -> None:
        self._serial.write(q.encode(frame.reply(Status.OK)))  # acknowledge, repeats too
        key = (frame.seq, frame.cmd, frame.data)
        if key == self._last_event:
            return  # our acknowledgement was lost and the device sent it again
        self._last_event = key
        try:
            event = q.decode_event(frame)
        except QueueProtocolError:
            log.warning("ignored an unknown request %#04x from the device", frame.cmd)
            return
        if self.on_event is not None:
            call_safely(log, "on_event", self.on_event, event)
