"""Receipt printer over a serial port: prints 1-bit images as GS v 0 raster via python-escpos."""

from __future__ import annotations

import contextlib
import copy
import logging
import termios
import threading

import serial
from PIL import Image

from drivers.device import Action, DeviceState, DeviceStatus
from drivers.printer import protocol
from drivers.printer.escpos_lib import EscposError, Profile, Serial

log = logging.getLogger(__name__)

DEVICE = "printer"
# termios.error is not an OSError: pyserial lets it through from tcflush/tcdrain on a dead pty.
_PORT_ERRORS = (OSError, serial.SerialException, termios.error)


class PrinterError(RuntimeError):
    """The printer could not be reached or a job could not be sent."""


def _profile(width: int) -> Profile:
    """A cutter-equipped profile with our media width.

    Without a width python-escpos prints a warning on every image, and without the cut feature
    ``cut()`` silently sends nothing. The data is copied: profile classes share one dict.
    """
    prof = Profile()
    data = copy.deepcopy(prof.profile_data)
    data["media"]["width"] = {"mm": width / 8, "pixels": width}
    data["features"].update(paperFullCut=True, paperPartCut=True, bitImageRaster=True)
    prof.profile_data, prof.features = data, data["features"]
    return prof


class _Serial(Serial):
    def close(self) -> None:
        # escpos's close() flushes first: tcdrain raises, or blocks, on a dead or wedged port
        # (also from its __del__). The data is gone either way once we give up on the port.
        dev, self._device = self._device, False
        if dev:
            with contextlib.suppress(*_PORT_ERRORS):
                dev.close()


class ReceiptPrinter:
    """One printer on one serial port; the port stays open between jobs and reopens after errors."""

    status_timeout = 0.3  # s to wait for a DLE EOT reply: a live printer answers in milliseconds

    def __init__(self, port: str, baud: int = 115200, width: int = 576, timeout: float = 1.0):
        self.port, self.baud, self.width, self.timeout = port, baud, width, timeout
        self._esc: _Serial | None = None
        self._lock = threading.Lock()  # status() may run while a job prints

    def _open(self) -> _Serial:
        if self._esc is not None:
            return self._esc
        # dsrdtr=False: with the default True, writes stall on 3-wire cables and ptys.
        esc = _Serial(
            devfile=self.port,
            baudrate=self.baud,
            timeout=self.timeout,
            dsrdtr=False,
            profile=_profile(self.width),
        )
        try:
            esc.open()
        except EscposError as e:
            raise PrinterError(f"cannot open printer port {self.port}: {e}") from e
        self._esc = esc
        return esc

    def _drop(self) -> None:
        """Forget the port after an error so the next call reopens it."""
        esc, self._esc = self._esc, None
        if esc is not None:
            esc.close()

    def print_image(self, img: Image.Image) -> None:
        """Print img (at most `width` dots wide) as GS v 0 raster, feed and cut."""
        if img.width > self.width:
            raise ValueError(f"image is {img.width} dots wide, paper is {self.width}")
        if img.width < self.width:
            # Centre it ourselves: python-escpos drops center= on images taller than one fragment.
            page = Image.new("1", (self.width, img.height), 255)
            page.paste(img.convert("1"), ((self.width - img.width) // 2, 0))
            img = page
        # A wedged or vanished reader must fail the job, not hang the kiosk: allow twice the
        # wire time of the biggest single write (one 960-row fragment) plus the read timeout.
        fragment = self.width // 8 * min(img.height, 960)
        write_timeout = self.timeout + 2 * fragment * 10 / self.baud
        with self._lock:
            esc = self._open()
            try:
                esc.device.write_timeout = write_timeout
                esc.hw("INIT")
                esc.image(img, impl="bitImageRaster")
                esc.cut()  # ESC d 6 (clears the cutter), then GS V 0
            except (*_PORT_ERRORS, EscposError) as e:
                self._drop()
                raise PrinterError(f"writing to printer on {self.port} failed: {e}") from e
        log.info("printer: sent %dx%d image", img.width, img.height)

    def status(self) -> DeviceStatus:
        """Ask DLE EOT 4 (paper sensor) on the same port; no answer at all means offline.

        While a job is being sent the answer is BUSY at once: the reply would only queue
        behind the job's bytes anyway.
        """
        if not self._lock.acquire(blocking=False):
            return DeviceStatus(DEVICE, DeviceState.BUSY, "printing")
        try:
            return self._query_paper()
        finally:
            self._lock.release()

    def _query_paper(self) -> DeviceStatus:
        try:
            dev = self._open().device
        except PrinterError:
            return DeviceStatus(DEVICE, DeviceState.NO_DEVICE, "port missing", Action.MAINTENANCE)
        try:
            dev.reset_input_buffer()  # drop a late reply to an earlier query
            dev.write(protocol.STATUS_PAPER)
            dev.timeout = self.status_timeout
            try:
                reply = dev.read(1)
            finally:
                dev.timeout = self.timeout
        except _PORT_ERRORS:
            self._drop()
            return DeviceStatus(DEVICE, DeviceState.OFFLINE, "port error", Action.MAINTENANCE)
        return _paper_status(reply)

    def close(self) -> None:
        with self._lock:
            self._drop()


def _paper_status(reply: bytes) -> DeviceStatus:
    if not reply:
        return DeviceStatus(DEVICE, DeviceState.OFFLINE, "no answer", Action.MAINTENANCE)
    if not protocol.is_status_reply(reply[0]):
        detail = f"bad status byte 0x{reply[0]:02x} (baud rate?)"
        return DeviceStatus(DEVICE, DeviceState.HARDWARE_ERROR, detail, Action.MAINTENANCE)
    paper = protocol.paper_from_reply(reply[0])
    if paper == "out":
        return DeviceStatus(DEVICE, DeviceState.USER_ERROR, "paper out", Action.CLEAR)
    if paper == "near_end":
        return DeviceStatus(DEVICE, DeviceState.ONLINE, "paper near end", Action.CLEAR)
    return DeviceStatus(DEVICE, DeviceState.ONLINE)
