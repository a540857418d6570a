"""How bytes reach the printer: serial (default), network (TCP 9100) or USB.

Each link is a thin layer over python-escpos's own printer class (Serial, Network,
Usb), which opens the device; reads are ours, because python-escpos reads 16 bytes
and so waits out its whole timeout even when the printer answered at once. USB is
written against python-escpos/pyusb but cannot be tested without the hardware.
"""

from __future__ import annotations

import contextlib
import socket
import termios
import time
from typing import Any

import serial

from drivers.printer.escpos_lib import EscposError, Network, Profile, Serial, Usb

# termios.error is not an OSError: pyserial lets it through from tcflush/tcdrain on a dead pty.
PORT_ERRORS = (OSError, serial.SerialException, termios.error, EscposError)


class LinkError(OSError):
    """The link could not be opened (missing port, refused connection, no USB device)."""


class Link:
    """One open connection to a printer. Subclasses say how to open, write and read."""

    name = "printer"

    def __init__(self, profile: Profile | None = None, timeout: float = 1.0) -> None:
        self.profile, self.timeout = profile, timeout
        self._esc: Any = None

    @property
    def is_open(self) -> bool:
        return self._esc is not None

    def open(self) -> None:
        if self._esc is not None:
            return
        esc = self._make()
        try:
            esc.open()
        except (EscposError, OSError, serial.SerialException) as exc:
            raise LinkError(f"cannot open printer {self.name}: {exc}") from exc
        self._esc = esc

    def close(self) -> None:
        esc, self._esc = self._esc, None
        if esc is not None:
            with contextlib.suppress(*PORT_ERRORS):
                self._close(esc)

    def wire_time(self, size: int) -> float:
        """Seconds the bytes spend on the wire (0 where the link is not the bottleneck)."""
        return 0.0

    def _make(self) -> Any:
        raise NotImplementedError

    def _close(self, esc: Any) -> None:
        esc.close()

    def write(self, data: bytes, timeout: float) -> None:
        raise NotImplementedError

    def read(self, n: int, timeout: float) -> bytes:
        """Up to n bytes: returns as soon as n arrived, or what came within timeout."""
        raise NotImplementedError

    def discard_input(self) -> None:
        """Drop bytes already waiting (a late reply to an earlier query)."""
        raise NotImplementedError


class SerialLink(Link):
    def __init__(self, port: str, baud: int = 115200, **kw: Any) -> None:
        super().__init__(**kw)
        self.name, self.port, self.baud = f"port {port}", port, baud

    def _make(self) -> Any:
        # dsrdtr=False: with the default True, writes stall on 3-wire cables and ptys.
        return Serial(devfile=self.port, baudrate=self.baud, timeout=self.timeout,
                      dsrdtr=False, profile=self.profile)

    def _close(self, esc: Any) -> None:
        # escpos's close() flushes first: tcdrain raises, or blocks, on a dead or wedged port
        # (also from its __del__). The data is gone either way once we give up on the port.
        dev, esc._device = esc._device, False
        if dev:
            dev.close()

    def wire_time(self, size: int) -> float:
        return size * 10 / self.baud  # 8N1: 10 bits a byte

    def write(self, data: bytes, timeout: float) -> None:
        self._esc.device.write_timeout = timeout
        self._esc.device.write(data)

    def read(self, n: int, timeout: float) -> bytes:
        dev = self._esc.device
        dev.timeout = timeout
        try:
            return bytes(dev.read(n))
        finally:
            dev.timeout = self.timeout

    def discard_input(self) -> None:
        self._esc.device.reset_input_buffer()


class NetworkLink(Link):
    def __init__(self, host: str, port: int = 9100, **kw: Any) -> None:
        super().__init__(**kw)
        self.name, self.host, self.port = f"{host}:{port}", host, port

    def _make(self) -> Any:
        return Network(host=self.host, port=self.port, timeout=self.timeout, profile=self.profile)

    def write(self, data: bytes, timeout: float) -> None:
        sock: socket.socket = self._esc.device
        sock.settimeout(timeout)
        sock.sendall(data)

    def read(self, n: int, timeout: float) -> bytes:
        sock: socket.socket = self._esc.device
        out, deadline = b"", time.monotonic() + timeout
        while len(out) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                chunk = sock.recv(n - len(out))
            except TimeoutError:
                break
            if not chunk:
                raise ConnectionResetError("the printer closed the connection")
            out += chunk
        return out

    def discard_input(self) -> None:
        sock: socket.socket = self._esc.device
        sock.setblocking(False)
        try:
            while sock.recv(4096):
                pass
        except BlockingIOError:
            pass
        finally:
            sock.setblocking(True)


class UsbLink(Link):
    """Untested here (no USB printer on the test machine); needs pyusb installed."""

    def __init__(self, vendor: int, product: int, **kw: Any) -> None:
        super().__init__(**kw)
        self.name, self.vendor, self.product = f"usb {vendor:04x}:{product:04x}", vendor, product

    def _make(self) -> Any:
        return Usb(idVendor=self.vendor, idProduct=self.product,
                   timeout=int(self.timeout * 1000), profile=self.profile)

    def write(self, data: bytes, timeout: float) -> None:
        esc = self._esc
        esc.device.write(esc.out_ep, data, int(timeout * 1000))

    def read(self, n: int, timeout: float) -> bytes:
        esc = self._esc
        try:
            return bytes(esc.device.read(esc.in_ep, max(n, 64), int(timeout * 1000)))[:n]
        except OSError as exc:  # usb.core.USBTimeoutError is an OSError
            if "timed out" in str(exc).lower() or getattr(exc, "errno", None) == 110:
                return b""
            raise

    def discard_input(self) -> None:
        with contextlib.suppress(OSError):
            while self.read(64, 0.01):
                pass
