"""A serial device simulated on a real pty: the plumbing every serial simulator shares.

A subclass says how the byte stream splits into frames (``new_splitter``) and what
the device answers to one frame (``handle``); this base owns the pty, the thread,
the line rate and the faults a cable has:

- ``baud``: the device's line rate. The driver's termios speed is read back from
  the pty, so a driver at the wrong rate gets no answer, as from a real UART (the
  bytes are counted in ``garbled`` and dropped). None: any rate works.
- ``pace``: replies leave at ``baud`` (10 bits a byte, 8N1), and not before the
  request would have finished arriving at that rate, so timings are real.
- ``link``: a stable path (like a udev name) kept pointing at the current pty.
  ``unplug()`` closes the pty and removes the link; ``replug()`` opens a new pty
  (a pty path cannot be reused) and points the link at it.
- ``answering = False``: the device is powered off behind a live cable.
- ``inject(data)``: raw bytes on the line (noise); ``garble_next_reply(noise)``.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import termios
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, Self

from drivers.pty_pair import PtyPair

_SPEEDS = {
    getattr(termios, f"B{rate}"): rate
    for rate in (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400)
}
_PACE_CHUNK = 32  # bytes written at a time when pacing: ~2.8 ms at 115200


class Splitter(Protocol):
    """Cuts a byte stream into frames (each protocol module has one)."""

    @property
    def pending(self) -> int: ...

    def feed(self, chunk: bytes) -> list[bytes]: ...

    def clear(self) -> None: ...


class SerialSimulator:
    thread_name = "serial-sim"
    tick = 0.05  # longest wait on the pty, so stop() is prompt
    idle_reset = 0.2  # a half-received frame older than this is dropped, as a UART device does

    def __init__(
        self, *, baud: int | None = None, pace: bool = True, link: str | Path | None = None
    ) -> None:
        self.baud = baud
        self.pace = pace
        self.link = Path(link) if link is not None else None
        self.answering = True
        self.commands_received: list[bytes] = []
        self.garbled = 0
        self.partial_dropped = 0  # half-received frames forgotten after idle_reset
        self.lock = threading.RLock()  # the device's state: the serve thread and the test share it
        self._outbox: deque[bytes] = deque()
        self._noise = b""
        self._next_baud: int | None = None
        self._pty: PtyPair | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    # --- what a subclass provides -----------------------------------------------

    def new_splitter(self) -> Splitter:
        raise NotImplementedError

    def handle(self, frame: bytes) -> bytes | None:
        """The device's answer to one frame (None: no answer). Called under ``lock``."""
        raise NotImplementedError

    def on_tick(self, now: float) -> bytes | None:
        """Bytes the device sends on its own (events, retransmissions). Called under ``lock``."""
        return None

    # --- life cycle ----------------------------------------------------------------

    @property
    def port(self) -> str:
        """The path a driver opens: the link if there is one, else the pty itself."""
        if self.link is not None:
            return str(self.link)
        return self.pty_port

    @property
    def pty_port(self) -> str:
        if self._pty is None:
            raise RuntimeError("simulator is not running")
        return self._pty.port

    @property
    def running(self) -> bool:
        return self._pty is not None

    def start(self) -> Self:
        if self._pty is not None:
            return self
        self._pty = PtyPair()
        os.set_blocking(self._pty.master_fd, False)
        if self.link is not None:
            tmp = self.link.with_name(f".{self.link.name}.{os.getpid()}.tmp")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(self._pty.port)
            os.replace(tmp, self.link)  # atomic: the driver never sees a half-made link
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._serve, args=(self._pty.master_fd,), name=self.thread_name, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the pty (and remove the link): to the driver, the device is unplugged."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5.0)
            self._thread = None
        if self._pty is not None:
            if self.link is not None and os.path.realpath(self.link) == self._pty.port:
                self.link.unlink(missing_ok=True)
            self._pty.close()
            self._pty = None

    unplug = stop
    replug = start

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- faults ----------------------------------------------------------------------

    def inject(self, data: bytes) -> None:
        """Put raw bytes on the line now, outside any reply."""
        self._outbox.append(bytes(data))

    def switch_baud_after_reply(self, baud: int) -> None:
        """For ``handle``: the reply still leaves at the old rate, then the device changes."""
        self._next_baud = baud

    def garble_next_reply(self, noise: bytes) -> None:
        """The next reply is preceded by ``noise`` (a glitch on the cable)."""
        with self.lock:
            self._noise = bytes(noise)

    # --- the serve thread --------------------------------------------------------------

    def _line_rate(self, fd: int) -> int | None:
        # On Linux a pty master reports its slave's termios: the driver's speed.
        with contextlib.suppress(termios.error):
            return _SPEEDS.get(termios.tcgetattr(fd)[5])
        return None

    def _serve(self, fd: int) -> None:
        frames = self.new_splitter()
        last_byte = time.monotonic()
        while not self._stop.is_set():
            while self._outbox:
                self._send(fd, self._outbox.popleft())
            with self.lock:
                unsolicited = self.on_tick(time.monotonic())
            if unsolicited:
                self._send(fd, unsolicited)
            ready, _, _ = select.select([fd], [], [], self.tick)
            if not ready:
                if frames.pending and time.monotonic() - last_byte > self.idle_reset:
                    frames.clear()
                    self.partial_dropped += 1
                continue
            try:
                chunk = os.read(fd, 4096)
            except BlockingIOError:
                continue
            except OSError:
                self._stop.wait(self.tick)  # the driver side hung up: wait for it to reopen
                continue
            last_byte = time.monotonic()
            if self.baud is not None and self._line_rate(fd) != self.baud:
                self.garbled += len(chunk)  # framing errors at a wrong rate: nothing parses
                frames.clear()
                continue
            for frame in frames.feed(chunk):
                self.commands_received.append(frame)
                with self.lock:
                    reply = self.handle(frame) if self.answering else None
                    noise, self._noise = (self._noise, b"") if reply else (b"", self._noise)
                    rate = self.baud
                    if self._next_baud is not None:
                        # Switched before the reply leaves (at the old rate): the driver
                        # may answer at the new rate as soon as it has the reply.
                        self.baud, self._next_baud = self._next_baud, None
                if reply:
                    self._send(fd, noise + reply, rate, after=len(frame))

    def _send(self, fd: int, data: bytes, baud: int | None = None, after: int = 0) -> None:
        """Write ``data``, paced at ``baud`` if asked to (the last byte at n*10/baud).

        ``after``: the size of the request being answered. Over a pty it arrived at
        once; on a wire its last byte would come len*10/baud later, and no device
        can answer before that.
        """
        baud = baud or self.baud
        if not (self.pace and baud):
            self._write(fd, data)
            return
        start = time.monotonic() + after * 10 / baud
        for i in range(0, len(data), _PACE_CHUNK):
            piece = data[i : i + _PACE_CHUNK]
            due = start + (i + len(piece)) * 10 / baud
            while (left := due - time.monotonic()) > 0:  # a timed wait may wake a bit early
                if self._stop.wait(left):
                    return
            self._write(fd, piece)

    def _write(self, fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view and not self._stop.is_set():
            try:
                view = view[os.write(fd, view) :]
            except BlockingIOError:
                select.select([], [fd], [], self.tick)  # the driver is not reading: wait
            except OSError:
                return


def run_until_interrupted(
    sim: SerialSimulator, on_line: Callable[[str], str | None] | None = None
) -> int:
    """For ``python -m drivers.sim``: serve until Ctrl-C or SIGTERM, then unplug.

    ``on_line`` gets each line typed on stdin (scripting the device by hand) and
    may return a message to print.
    """
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_a: stop.set())

    def read_stdin() -> None:
        for line in sys.stdin:
            if line.strip() and on_line is not None:
                message = on_line(line.strip())
                if message:
                    print(message, file=sys.stderr, flush=True)

    if on_line is not None:
        threading.Thread(target=read_stdin, name="sim-stdin", daemon=True).start()
    try:
        while not stop.wait(1.0):  # a bounded wait, so Ctrl-C is handled promptly
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0
