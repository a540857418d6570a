"""Receipt printer simulators: the printer engine on a real pty, or on a local TCP socket.

One base runs the engine on a thread and paces bytes at the configured baud rate (10
bits a byte, as on a serial line); the subclasses only say how bytes come and go.
``send_noise`` puts garbage on the printer-to-host line; ``stall_after(n)`` stops
reading after n more bytes, like a printer whose buffer is full and never drains.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import time
from pathlib import Path
from typing import Self

from drivers.printer.engine import PrintedJob, PrinterEngine
from drivers.printer.pages import DEFAULT_FONT
from drivers.pty_pair import PtyPair

__all__ = ["NetworkPrinterSimulator", "PrintedJob", "PrinterSimulator"]


class _SimulatorBase(PrinterEngine):
    poll_interval = 0.05  # s between stop-flag checks while the line is idle

    def __init__(
        self, out_dir: Path, baud: int | None = None, width: int = 576,
        font_path: str = DEFAULT_FONT,
    ) -> None:
        super().__init__(out_dir, width, font_path)
        self.baud = baud
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._stall_at: int | None = None
        self._power_cycle = threading.Event()
        self._cycled = threading.Event()

    def power_cycle(self, timeout: float = 5.0) -> None:
        """Switch the printer off and on: bytes on the line and in its buffer are lost."""
        self._cycled.clear()
        self._power_cycle.set()
        if not self._cycled.wait(timeout):
            raise TimeoutError("the simulator thread did not power-cycle")

    def stall_after(self, n: int | None) -> None:
        self._stall_at = None if n is None else len(self.received) + n

    def start(self) -> Self:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._stop.clear()
        self._open()
        self._thread = threading.Thread(target=self._run, name="printer-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def send_noise(self, data: bytes) -> None:
        """Garbage on the line towards the host (a noisy cable, a wrong baud rate)."""
        self._write(data)

    def _run(self) -> None:
        while not self._stop.is_set():
            if self._power_cycle.is_set():
                while self._read(0):  # what was on the wire never arrives
                    pass
                self._stall_at = None
                self.reset()
                self._power_cycle.clear()
                self._cycled.set()
            stalled = self._stall_at is not None and len(self.received) >= self._stall_at
            chunk = None if stalled else self._read(self.poll_interval)
            if stalled:
                self._stop.wait(self.poll_interval)
            if not chunk:
                self._write(self.tick())  # idle: resume held data if the fault cleared
                continue
            if self._stall_at is not None:
                chunk = chunk[: max(self._stall_at - len(self.received), 0)] or chunk[:0]
            if self.baud:  # mimic wire time: 10 bits per byte (8N1)
                time.sleep(len(chunk) * 10 / self.baud)
            self._write(self.feed(chunk))

    # -- the line ----------------------------------------------------------------------------
    def _open(self) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def _read(self, timeout: float) -> bytes | None:
        raise NotImplementedError

    def _write(self, data: bytes) -> None:
        raise NotImplementedError


class PrinterSimulator(_SimulatorBase):
    """On a pty: the driver opens ``port`` as it would /dev/ttyS1."""

    _pty: PtyPair | None = None

    @property
    def port(self) -> str:
        if self._pty is None:
            raise RuntimeError("simulator not started")
        return self._pty.port

    def _open(self) -> None:
        self._pty = PtyPair()

    def _close(self) -> None:
        if self._pty is not None:
            self._pty.close()
            self._pty = None

    def _read(self, timeout: float) -> bytes | None:
        assert self._pty is not None
        fd = self._pty.master_fd
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return None
        try:
            return os.read(fd, 65536)
        except OSError:  # the driver side hung up: wait for it to reopen, or for stop()
            self._stop.wait(timeout)
            return None

    def _write(self, data: bytes) -> None:
        if data and self._pty is not None:
            with contextlib.suppress(OSError):
                os.write(self._pty.master_fd, data)


class NetworkPrinterSimulator(_SimulatorBase):
    """On 127.0.0.1:``tcp_port`` (an ephemeral port by default), one client at a time."""

    def __init__(
        self, out_dir: Path, baud: int | None = None, width: int = 576,
        font_path: str = DEFAULT_FONT, tcp_port: int = 0,
    ) -> None:
        super().__init__(out_dir, baud, width, font_path)
        self.tcp_port = tcp_port
        self._server: socket.socket | None = None
        self._conn: socket.socket | None = None

    def _open(self) -> None:
        self._server = socket.create_server(("127.0.0.1", self.tcp_port))
        self.tcp_port = self._server.getsockname()[1]

    def _close(self) -> None:
        for sock in (self._conn, self._server):
            if sock is not None:
                sock.close()
        self._conn = self._server = None

    def _read(self, timeout: float) -> bytes | None:
        if self._conn is None:
            assert self._server is not None
            ready, _, _ = select.select([self._server], [], [], timeout)
            if ready:
                self._conn, _ = self._server.accept()
            return None
        ready, _, _ = select.select([self._conn], [], [], timeout)
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

    def _write(self, data: bytes) -> None:
        if data and self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.sendall(data)
