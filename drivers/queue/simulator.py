"""A simulated queue-number device (取号机/叫号器) on a pty, over ``protocol``.

One ticket counter and one waiting line per business type; windows that call,
recall, skip, pause and resume; a display and a voice that record what they were
told. A request that repeats the last one (same SEQ, CMD and DATA) is not done
again: the last reply is sent again, so a retried "take ticket" never issues a
second ticket.

Scriptable: ``paper`` ("ok", "low", "out"), ``faults`` (Flags), ``busy`` (answer
busy to the next n requests), ``drop_replies`` (do the next n requests, lose their
replies), ``ignore_requests`` (lose the next n requests on the line), and keypad
or rating events (``press_key``, ``rate``) sent until the host acknowledges them
(``drop_acks``: lose the next n acknowledgements).
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

from drivers.queue import protocol as q
from drivers.queue.framing import FrameSplitter
from drivers.queue.protocol import Cmd, Flags, Frame, QueueProtocolError, Status, Ticket
from drivers.serial_sim import SerialSimulator

EVENT_RETRY_S = 0.3  # the same timeout and retry count as the host's
EVENT_TRIES = 4  # first send + 3 retries


class QueueSimulator(SerialSimulator):
    thread_name = "queue-sim"

    def __init__(
        self,
        *,
        addr: int = 1,
        prefixes: dict[int, str] | None = None,
        baud: int | None = None,
        pace: bool = True,
        link: str | Path | None = None,
    ) -> None:
        super().__init__(baud=baud, pace=pace, link=link)
        self.addr = addr
        self.prefixes = prefixes or {1: "A", 2: "B", 3: "C", 4: "D"}  # business -> letter
        self.counters = dict.fromkeys(self.prefixes, 1)  # the next number per business
        self.lines: dict[int, deque[tuple[int, str]]] = {b: deque() for b in self.prefixes}
        self.windows: dict[int, str | None] = {}  # window -> the ticket it called last
        self.paused: set[int] = set()
        self.paper = "ok"
        self.faults = Flags.NONE
        self.busy = self.drop_replies = self.ignore_requests = self.drop_acks = 0
        self.executed: list[Frame] = []  # requests done (a repeat is not done again)
        self.repeats = 0
        self.announced: list[str] = []
        self.displayed: list[tuple[int, int, str]] = []
        self.spoken: list[str] = []
        self.acks: list[Frame] = []
        self.events_lost = 0
        self._last: tuple[tuple[int, int, bytes], bytes] | None = None
        self._events: deque[bytes] = deque()
        self._event_seq = 0
        self._event_tries = 0
        self._event_sent_at = 0.0

    def new_splitter(self) -> FrameSplitter:
        return FrameSplitter(verify=False)  # damaged frames get status 4

    # --- scripting, from any thread ---------------------------------------------------

    def press_key(self, window: int, key: int) -> None:
        self._event(Cmd.KEY_EVENT, bytes([window, key]))

    def rate(self, window: int, score: int) -> None:
        self._event(Cmd.RATING, bytes([window, score]))

    @property
    def events_pending(self) -> int:
        """Events sent (or to send) and not acknowledged yet."""
        return len(self._events)

    def prefill(self, waiting: dict[int, int]) -> None:
        """People already in line per business (the hall was busy before the demo began)."""
        with self.lock:
            for business, count in waiting.items():
                for _ in range(count):
                    self._take(business, 0)

    def waiting(self, business: int) -> list[str]:
        with self.lock:
            return [text for _, text in self.lines[business]]

    def _event(self, cmd: Cmd, data: bytes) -> None:
        with self.lock:
            self._events.append(q.encode(Frame(self.addr, self._event_seq, cmd, data)))
            self._event_seq = (self._event_seq + 1) % 256

    # --- the device ---------------------------------------------------------------------

    def handle(self, raw: bytes) -> bytes | None:
        try:
            frame = q.decode(raw, check_crc=False)
        except QueueProtocolError:
            return None
        if frame.addr != self.addr:
            return None  # for another device on the line
        if frame.is_reply:
            if self.drop_acks:
                self.drop_acks -= 1  # lost on the line: the event is sent again
            else:
                self._acknowledged(frame)
            return None
        if not q.crc_ok(raw):
            return q.encode(frame.reply(Status.CRC_ERROR))  # not done, not remembered
        if self.ignore_requests:
            self.ignore_requests -= 1
            return None
        key = (frame.seq, frame.cmd, frame.data)
        if self._last is not None and self._last[0] == key:
            self.repeats += 1
            reply = self._last[1]
        elif self.busy:
            self.busy -= 1
            return q.encode(frame.reply(Status.BUSY))  # not done: the host may repeat it
        else:
            result = self._execute(frame)
            reply = q.encode(result)
            self.executed.append(frame)
            if result.status != Status.DEVICE_FAULT:  # a fault may clear: then do it
                self._last = (key, reply)
        if self.drop_replies:
            self.drop_replies -= 1
            return None
        return reply

    def on_tick(self, now: float) -> bytes | None:
        if not self._events or not self.answering:
            return None
        if self._event_tries and now - self._event_sent_at < EVENT_RETRY_S:
            return None
        if self._event_tries == EVENT_TRIES:
            self._events.popleft()  # the host never acknowledged: give up on it
            self._event_tries = 0
            self.events_lost += 1
            return None
        self._event_tries += 1
        self._event_sent_at = now
        return self._events[0]

    def _acknowledged(self, ack: Frame) -> None:
        self.acks.append(ack)
        if self._events:
            sent = q.decode(self._events[0])
            if (ack.seq, ack.cmd) == (sent.seq, sent.cmd | q.REPLY):
                self._events.popleft()
                self._event_tries = 0

    def _execute(self, frame: Frame) -> Frame:
        try:
            status, payload = self._do(frame)
        except (QueueProtocolError, IndexError, KeyError):
            status, payload = Status.BAD_PARAMETER, b""
        return frame.reply(status, payload)

    def _do(self, frame: Frame) -> tuple[Status, bytes]:
        cmd, data = frame.cmd, frame.data
        if cmd == Cmd.PING:
            return Status.OK, b""
        if cmd == Cmd.STATUS:
            return Status.OK, q.state_reply(q.DeviceState(self.flags, self._total_waiting()))
        if cmd == Cmd.TAKE_TICKET and len(data) == 2:
            return self._take(data[0], data[1])
        if cmd == Cmd.SHOW_TEXT and len(data) >= 2:
            self.displayed.append((data[0], data[1], q.decode_text(data[2:])))
            return Status.OK, b""
        if cmd == Cmd.SPEAK:
            self.spoken.append(q.decode_text(data))
            return Status.OK, b""
        if cmd == Cmd.CALL and len(data) >= 2:
            return self._call(data[0], q.ticket_text(data[1:]))
        if cmd in (Cmd.RECALL, Cmd.SKIP, Cmd.PAUSE, Cmd.RESUME) and len(data) == 1:
            return self._window(Cmd(cmd), data[0])
        return Status.BAD_PARAMETER, b""

    @property
    def flags(self) -> Flags:
        paper = {"ok": Flags.NONE, "low": Flags.PAPER_LOW, "out": Flags.PAPER_OUT}[self.paper]
        return paper | self.faults

    def _total_waiting(self) -> int:
        return sum(len(line) for line in self.lines.values())

    def _take(self, business: int, priority: int) -> tuple[Status, bytes]:
        if business not in self.prefixes:
            return Status.BAD_PARAMETER, b""
        if self.faults & Flags.PRINTER_FAULT:
            return Status.DEVICE_FAULT, b""
        if self.paper == "out":
            return Status.PAPER_OUT, b""
        text = f"{self.prefixes[business]}{self.counters[business]:03d}"
        self.counters[business] += 1
        line = self.lines[business]
        # A priority ticket goes behind the priority tickets already waiting.
        ahead = sum(1 for p, _ in line if p >= priority) if priority else len(line)
        line.insert(ahead, (priority, text))
        return Status.OK, q.ticket_reply(Ticket(text, ahead))

    def _call(self, window: int, ticket: str) -> tuple[Status, bytes]:
        if window in self.paused:
            return Status.BAD_PARAMETER, b""
        for line in self.lines.values():
            for entry in line:
                if entry[1] == ticket:
                    line.remove(entry)
                    self.windows[window] = ticket
                    self.announced.append(f"请{ticket}号到{window}号窗口")
                    return Status.OK, b""
        return Status.BAD_PARAMETER, b""

    def _window(self, cmd: Cmd, window: int) -> tuple[Status, bytes]:
        if cmd == Cmd.PAUSE:
            self.paused.add(window)
        elif cmd == Cmd.RESUME:
            self.paused.discard(window)
        elif self.windows.get(window) is None:
            return Status.BAD_PARAMETER, b""  # nothing called at this window
        elif cmd == Cmd.RECALL:
            self.announced.append(f"请{self.windows[window]}号到{window}号窗口")
        else:  # SKIP
            self.windows[window] = None
        return Status.OK, b""
