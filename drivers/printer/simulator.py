"""Receipt printer simulators: the printer engine on a real pty, or on a local TCP socket.

On a pty it is a ``SerialSimulator`` (the serial simulators' shared base: the pty, the
thread, the line rate the driver must match, ``link``, unplug/replug, ``inject`` for
noise, ``answering``). A printer has no request frames, so the whole stream goes to the
engine as it comes, taking its wire time at ``baud`` (10 bits a byte): a 60 kB raster
takes its 5 s here as on a real line. ``stall_after(n)`` stops taking bytes after n
more, like a printer whose buffer is full and never drains; ``power_cycle()`` is an
unplug and replug (use ``link`` for a path that survives it).
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from pathlib import Path
from typing import Self

from drivers.printer.engine import PrintedJob, PrinterEngine
from drivers.printer.pages import DEFAULT_FONT
from drivers.serial_sim import SerialSimulator

__all__ = ["NetworkPrinterSimulator", "PrintedJob", "PrinterSimulator"]


class _Stream:
    """A printer has no frames: the ESC/POS stream is parsed by the engine as it comes."""

    pending = 0

    def feed(self, chunk: bytes) -> list[bytes]:
        return [chunk]

    def clear(self) -> None:
        pass


class PrinterSimulator(SerialSimulator, PrinterEngine):
    """On a pty: the driver opens ``port`` as it would /dev/ttyS1."""

    thread_name = "printer-sim"

    def __init__(
        self, out_dir: Path, baud: int | None = None, width: int = 576,
        font_path: str = DEFAULT_FONT, *, pace: bool = True, link: str | Path | None = None,
    ) -> None:
        SerialSimulator.__init__(self, baud=baud, pace=pace, link=link)
        PrinterEngine.__init__(self, out_dir, width, font_path)
        self._stall_at: int | None = None

    def stall_after(self, n: int | None) -> None:
        self._stall_at = None if n is None else len(self.received) + n

    def power_cycle(self) -> None:
        """Off and on: what was on the line and in the printer's buffer is lost."""
        self.unplug()
        self._stall_at = None
        self.reset()
        self.replug()

    def new_splitter(self) -> _Stream:
        return _Stream()

    def handle(self, frame: bytes) -> None:
        if self._stall_at is not None:
            room = max(self._stall_at - len(self.received), 0)
            self._take(frame[:room])
            frame = frame[room:]
            while self._stall_at is not None and len(self.received) >= self._stall_at:
                if self._stop.wait(self.tick):  # stopped while stalled: the rest is lost
                    return None
        self._take(frame)
        return None  # replies were queued with inject(): they leave right after the bytes

    def on_tick(self, now: float) -> bytes | None:
        return self.resume() or None  # the fault cleared: print what was held

    def _take(self, chunk: bytes) -> None:
        if not chunk:
            return
        if self.pace and self.baud:
            self._stop.wait(len(chunk) * 10 / self.baud)  # the bytes' wire time
        replies = self.feed(chunk)
        if replies:
            self.inject(replies)


class NetworkPrinterSimulator(PrinterEngine):
    """On 127.0.0.1:``tcp_port`` (an ephemeral port by default), one client at a time.

    A network printer is not paced: the LAN is not the bottleneck.
    """

    tick = 0.05  # s between stop-flag checks while the line is idle

    def __init__(
        self, out_dir: Path, width: int = 576, font_path: str = DEFAULT_FONT, tcp_port: int = 0,
    ) -> None:
        super().__init__(out_dir, width, font_path)
        self.tcp_port = tcp_port
        self._server: socket.socket | None = None
        self._conn: socket.socket | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        self._server = socket.create_server(("127.0.0.1", self.tcp_port))
        self.tcp_port = self._server.getsockname()[1]
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="printer-net-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        for sock in (self._conn, self._server):
            if sock is not None:
                sock.close()
        self._conn = self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def inject(self, data: bytes) -> None:
        """Garbage on the line towards the host."""
        self._send(data)

    def _run(self) -> None:
        while not self._stop.is_set():
            chunk = self._read()
            self._send(self.feed(chunk) if chunk else self.resume())

    def _read(self) -> bytes | None:
        assert self._server is not None
        if self._conn is None:
            ready, _, _ = select.select([self._server], [], [], self.tick)
            if ready:
                self._conn, _ = self._server.accept()
            return None
        ready, _, _ = select.select([self._conn], [], [], self.tick)
        if not ready:
            return None
        try:
            data = self._conn.recv(65536)
        except OSError:
            data = b""
        if not data:  # the client left: wait for the next one
            self._conn.close()
            self._conn = None
        return data or None

    def _send(self, data: bytes) -> None:
        if data and self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.sendall(data)
