"""What every serial device link shares, written once: the ID card module, the queue
device and the receipt printer differ in their protocol, not in how a port is opened,
read and lost.

The printer's serial transport uses it as it is (``write``, ``read``,
``discard_input``); the other links subclass ``SerialLink``, name their error class (a
``LinkError``) and say in ``handshake()`` what proves the device answers. The port is
opened exclusively (a second process polling the same device would interleave
frames), reads block for a short slice so that ``stop`` and deadlines stay prompt,
and every port failure becomes the link's error with a kind the driver acts on.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import termios
import threading
from collections.abc import Iterator
from typing import ClassVar

import serial

from drivers.events import PORT_IN_USE, PORT_MISSING, SERIAL_ERROR, Detail

log = logging.getLogger(__name__)

_PORT_GONE = (errno.ENOENT, errno.ENODEV, errno.ENXIO)
_PORT_BUSY = (errno.EAGAIN, errno.EBUSY)  # another process holds the exclusive lock
PORT_ERRORS = (serial.SerialException, OSError, termios.error)  # termios: tcflush on a dead pty


class LinkError(Exception):
    """Why talking to a device failed: ``kind`` for code, ``detail`` in en and zh.

    Never personal. Kinds in ``DEVICE_KINDS`` mean the line or the device is gone, as
    opposed to a refusal the device answered.
    """

    DEVICE_KINDS: ClassVar[tuple[str, ...]] = ("no_device", "port_in_use", "serial", "no_answer")

    def __init__(self, kind: str, detail: Detail) -> None:
        super().__init__(detail.en)
        self.kind, self.detail = kind, detail

    @property
    def device_fault(self) -> bool:
        return self.kind in self.DEVICE_KINDS


class Stopped(Exception):
    """The owner asked the link to stop while it waited."""


class SerialLink:
    error: ClassVar[type[LinkError]] = LinkError
    read_slice: ClassVar[float] = 0.05  # longest single blocking read

    def __init__(self, port: str, baud: int, *, stop: threading.Event | None = None) -> None:
        self._serial = serial.Serial(
            None, baud, timeout=self.read_slice, write_timeout=1.0, exclusive=True
        )
        self.port, self.baud = port, baud
        self._stop = stop or threading.Event()

    @property
    def is_open(self) -> bool:
        return self._serial.is_open

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        """Open the port and make sure the device answers; the link's error if not."""
        with self._port_errors():
            self._serial.port = self.port
            self._serial.baudrate = self.baud
            self._serial.open()
        try:
            self.handshake()
        except BaseException:
            self.close()
            raise

    def handshake(self) -> None:
        """Prove the device answers on the freshly opened port (a subclass says how)."""

    def close(self) -> None:
        with contextlib.suppress(*PORT_ERRORS):
            self._serial.close()

    def write(self, data: bytes, timeout: float) -> None:
        """Send ``data``, waiting at most ``timeout`` for the line to take it."""
        with self._port_errors():
            self._serial.write_timeout = timeout
            self._serial.write(data)

    def read(self, n: int, timeout: float) -> bytes:
        """Up to n bytes: as soon as n arrived, or what came within ``timeout``."""
        with self._port_errors():
            self._serial.timeout = timeout
            try:
                return bytes(self._serial.read(n))
            finally:
                self._serial.timeout = self.read_slice

    def discard_input(self) -> None:
        """Drop bytes already waiting (a late answer to an earlier request)."""
        with self._port_errors():
            self._serial.reset_input_buffer()

    def _read_some(self) -> bytes:
        """What has arrived, waiting at most one read slice; Stopped if asked to stop."""
        if self._stop.is_set():
            raise Stopped
        return self._serial.read(self._serial.in_waiting or 1)

    @contextlib.contextmanager
    def _port_errors(self) -> Iterator[None]:
        try:
            yield
        except PORT_ERRORS as e:
            code = getattr(e, "errno", None)
            log.debug("serial failure on %s: %s", self.port, e)
            if code in _PORT_GONE:
                raise self.error("no_device", PORT_MISSING) from e
            if code in _PORT_BUSY:
                raise self.error("port_in_use", PORT_IN_USE) from e
            raise self.error("serial", SERIAL_ERROR) from e
