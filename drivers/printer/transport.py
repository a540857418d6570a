"""How bytes reach the printer: serial (default), network (TCP 9100) or USB.

python-escpos's model: the driver (``ReceiptPrinter``) implements the commands once
over a ``Link``; each transport is a thin subclass that says how to open, write and
read. Serial is ``drivers.serial_link.SerialLink``, the port handling every serial
device shares (exclusive open, errors mapped to a ``LinkError`` kind). Network and
USB open through python-escpos's own classes; their reads are ours, because
python-escpos reads 16 bytes and so waits out its whole timeout even when the printer
answered at once. USB is written against python-escpos/pyusb but cannot be tested
without the hardware.
"""

from __future__ import annotations

import contextlib
import socket
import time
from typing import Any

from drivers.events import Detail
from drivers.printer.escpos_lib import EscposError, Network, Usb
from drivers.serial_link import PORT_ERRORS, LinkError, SerialLink

# Every failure a transport can raise: the serial link's own, the OS's, python-escpos's.
TRANSPORT_ERRORS = (LinkError, *PORT_ERRORS, EscposError)


class Link:
    """One connection to a printer. Subclasses say how to open, write and read."""

    name = "printer"

    def __init__(self, timeout: float = 1.0) -> None:
        self.timeout = timeout
        self.device: Any = None  # the open device (None while closed)

    @property
    def is_open(self) -> bool:
        return self.device is not None

    def open(self) -> None:
        """Open the connection; a ``LinkError`` (kind and detail) if it cannot be."""
        if self.device is not None:
            return
        try:
            self.device = self._open()
        except TRANSPORT_ERRORS as exc:
            kind = exc.kind if isinstance(exc, LinkError) else "no_device"
            raise LinkError(kind, Detail(f"cannot open printer {self.name}: {exc}",
                                         "无法打开打印机端口")) from exc  # fmt: skip

    def close(self) -> None:
        device, self.device = self.device, None
        if device is not None:
            with contextlib.suppress(*TRANSPORT_ERRORS):
                device.close()

    def wire_time(self, size: int) -> float:
        """Seconds the bytes spend on the wire (0 where the link is not the bottleneck)."""
        return 0.0

    def _open(self) -> Any:
        raise NotImplementedError

    def write(self, data: bytes, timeout: float) -> None:
        raise NotImplementedError

    def read(self, n: int, timeout: float) -> bytes:
        """Up to n bytes: returns as soon as n arrived, or what came within timeout."""
        raise NotImplementedError

    def discard_input(self) -> None:
        """Drop bytes already waiting (a late reply to an earlier query)."""
        raise NotImplementedError


class SerialTransport(Link):
    def __init__(self, port: str, baud: int = 115200, **kw: Any) -> None:
        super().__init__(**kw)
        self.name, self.port, self.baud = f"port {port}", port, baud

    def _open(self) -> SerialLink:
        link = SerialLink(self.port, self.baud)
        link.open()
        return link

    def wire_time(self, size: int) -> float:
        return size * 10 / self.baud  # 8N1: 10 bits a byte

    def write(self, data: bytes, timeout: float) -> None:
        self.device.write(data, timeout)

    def read(self, n: int, timeout: float) -> bytes:
        return self.device.read(n, timeout)

    def discard_input(self) -> None:
        self.device.discard_input()


class NetworkLink(Link):
    def __init__(self, host: str, port: int = 9100, **kw: Any) -> None:
        super().__init__(**kw)
        self.name, self.host, self.port = f"{host}:{port}", host, port

    def _open(self) -> Any:
        esc = Network(host=self.host, port=self.port, timeout=self.timeout)
        esc.open()
        return esc

    def _socket(self) -> socket.socket:
        return self.device.device

    def write(self, data: bytes, timeout: float) -> None:
        sock = self._socket()
        sock.settimeout(timeout)
        sock.sendall(data)

    def read(self, n: int, timeout: float) -> bytes:
        sock = self._socket()
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
        sock = self._socket()
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

    def _open(self) -> Any:
        esc = Usb(idVendor=self.vendor, idProduct=self.product, timeout=int(self.timeout * 1000))
        esc.open()
        return esc

    def write(self, data: bytes, timeout: float) -> None:
        esc = self.device
        esc.device.write(esc.out_ep, data, int(timeout * 1000))

    def read(self, n: int, timeout: float) -> bytes:
        esc = self.device
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
