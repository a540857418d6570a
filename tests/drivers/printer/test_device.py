"""The printer under the driver contract: its own thread polls, publishes changes, re-arms."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from drivers.device import DeviceState, DeviceStatus, PaperLevel
from drivers.printer.device import PrinterDevice
from drivers.printer.driver import JobFailed, ReceiptPrinter
from drivers.printer.simulator import PrinterSimulator

WAIT = 10.0


class Seen:
    def __init__(self) -> None:
        self.statuses: list[DeviceStatus] = []
        self._cond = threading.Condition()

    def add(self, status: DeviceStatus) -> None:
        with self._cond:
            self.statuses.append(status)
            self._cond.notify_all()

    def wait_for(self, what: str, test) -> DeviceStatus:
        with self._cond:
            assert self._cond.wait_for(lambda: self.statuses and test(self.statuses[-1]), WAIT), (
                f"no {what}: {self.statuses}")
            return self.statuses[-1]


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[PrinterSimulator]:
    with PrinterSimulator(tmp_path / "pages") as s:
        yield s


def test_polls_on_its_own_thread_and_publishes_the_paper_level(sim) -> None:
    seen = Seen()
    device = PrinterDevice(ReceiptPrinter(sim.port), on_status=seen.add, poll_interval=30)
    device.start()
    try:
        assert any(t.name == "printer-status" for t in threading.enumerate())
        ok = seen.wait_for("online", lambda s: s.state is DeviceState.ONLINE)
        assert ok.paper is PaperLevel.OK
        sim.paper = "near_end"
        start = time.monotonic()
        device.rearm()  # a session starts: report afresh, not at the next 30 s poll
        low = seen.wait_for("paper low", lambda s: s.paper is PaperLevel.LOW)
        assert low.state is DeviceState.ONLINE and time.monotonic() - start < 5
        assert device.status == low
    finally:
        device.stop()
    assert device.printer._esc is None  # stop released the port


def test_a_job_that_used_up_the_paper_is_published_at_once(sim) -> None:
    seen = Seen()
    device = PrinterDevice(ReceiptPrinter(sim.port), on_status=seen.add, poll_interval=30)
    device.start()
    try:
        seen.wait_for("online", lambda s: s.state is DeviceState.ONLINE)
        sim.run_out_of_paper_after(2000)
        with pytest.raises(JobFailed):
            device.print_image(Image.new("1", (576, 400), 0), kind="test")
        out = seen.wait_for("paper out", lambda s: s.paper is PaperLevel.OUT)
        assert out.state is DeviceState.USER_ERROR
    finally:
        device.stop()


def test_a_printer_that_is_not_there_is_no_device_and_paper_unknown(tmp_path: Path) -> None:
    seen = Seen()
    device = PrinterDevice(ReceiptPrinter(str(tmp_path / "ttyUSB9")), on_status=seen.add)
    device.start()
    try:
        gone = seen.wait_for("no device", lambda s: s.state is DeviceState.NO_DEVICE)
        assert gone.paper is PaperLevel.UNKNOWN and not gone.usable
    finally:
        device.stop()
