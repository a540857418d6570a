"""The printer under the driver contract: its own thread polls, publishes changes, re-arms."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from drivers.device import DeviceState, DeviceStatus, PaperLevel
from drivers.printer.device import PrinterDevice
from drivers.printer.driver import JobFailed, ReceiptPrinter
from tests.helpers.recorder import Recorder


def test_polls_on_its_own_thread_and_publishes_the_paper_level(sim) -> None:
    seen: Recorder[DeviceStatus] = Recorder()
    device = PrinterDevice(ReceiptPrinter(sim.port), on_status=seen.add, poll_interval=30)
    device.start()
    try:
        assert any(t.name == "printer-status" for t in threading.enumerate())
        ok = seen.wait_for_last("online", lambda s: s.state is DeviceState.ONLINE)
        assert ok.paper is PaperLevel.OK
        sim.paper = "near_end"
        start = time.monotonic()
        device.rearm()  # a session starts: report afresh, not at the next 30 s poll
        low = seen.wait_for_last("paper low", lambda s: s.paper is PaperLevel.LOW)
        assert low.state is DeviceState.ONLINE and time.monotonic() - start < 5
        assert device.status == low
    finally:
        device.stop()
    assert device.printer._esc is None  # stop released the port


def test_a_job_that_used_up_the_paper_is_published_at_once(sim) -> None:
    seen: Recorder[DeviceStatus] = Recorder()
    device = PrinterDevice(ReceiptPrinter(sim.port), on_status=seen.add, poll_interval=30)
    device.start()
    try:
        seen.wait_for_last("online", lambda s: s.state is DeviceState.ONLINE)
        sim.run_out_of_paper_after(2000)
        with pytest.raises(JobFailed):
            device.print_image(Image.new("1", (576, 400), 0), kind="test")
        out = seen.wait_for_last("paper out", lambda s: s.paper is PaperLevel.OUT)
        assert out.state is DeviceState.USER_ERROR
    finally:
        device.stop()


def test_a_printer_that_is_not_there_is_no_device_and_paper_unknown(tmp_path: Path) -> None:
    seen: Recorder[DeviceStatus] = Recorder()
    device = PrinterDevice(ReceiptPrinter(str(tmp_path / "ttyUSB9")), on_status=seen.add)
    device.start()
    try:
        gone = seen.wait_for_last("no device", lambda s: s.state is DeviceState.NO_DEVICE)
        assert gone.paper is PaperLevel.UNKNOWN and not gone.usable
    finally:
        device.stop()
