"""The real printer path end to end: driver -> pty -> simulator -> page images."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from drivers.device import Action, DeviceState
from drivers.printer.driver import PrinterError, ReceiptPrinter, _paper_status
from drivers.printer.simulator import PrinterSimulator
from drivers.pty_pair import PtyPair
from kiosk.printing.certificate import Certificate
from kiosk.printing.render import render_certificate

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
JOB_TIMEOUT = 20.0  # generous upper bound for a loaded CI box; jobs normally land in ms

CERT = Certificate(
    title="社会保险参保证明",
    holder_name="欧阳明珏",
    id_number_masked="440304********1234",
    rows=[("参保险种", "企业职工基本养老保险"), ("参保状态", "正常参保"), ("累计缴费", "128个月")],
    verification_code="SS-20261122-7F3KQ9",
    verify_url="https://si.sz.gov.cn/verify?code=SS-20261122-7F3KQ9",
    issued_at="2026-11-22 20:15",
    issuer="深圳市社会保险基金管理局",
)


@pytest.fixture(scope="module")
def certificate() -> Image.Image:
    if not os.path.exists(FONT):
        pytest.skip("fonts-wqy-microhei missing")
    return render_certificate(CERT, FONT)


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[PrinterSimulator]:
    with PrinterSimulator(tmp_path / "jobs") as s:
        yield s


@pytest.fixture
def printer(sim: PrinterSimulator) -> Iterator[ReceiptPrinter]:
    pr = ReceiptPrinter(sim.port)
    yield pr
    pr.close()


def _small_image(text: str = "TEST", height: int = 64) -> Image.Image:
    img = Image.new("1", (576, height), 255)
    ImageDraw.Draw(img).rectangle((10, 10, 200, height - 10), fill=0)
    ImageDraw.Draw(img).text((220, 20), text, fill=0)
    return img


def test_certificate_prints_pixel_for_pixel(
    sim: PrinterSimulator, printer: ReceiptPrinter, certificate: Image.Image
) -> None:
    printer.print_image(certificate)
    (job,) = sim.wait_for_jobs(1, JOB_TIMEOUT)

    assert job.index == 1 and job.png_path.name == "job-0001.png" and job.png_path.exists()
    page, h = job.image, certificate.height
    assert page.width == 576 and page.height >= h
    assert page.crop((0, 0, 576, h)).tobytes() == certificate.tobytes()
    if page.height > h:  # the feed before the cut is white paper
        assert page.crop((0, h, 576, page.height)).getextrema() == (255, 255)
    assert [r.text for r in zxingcpp.read_barcodes(page.convert("L"))] == [CERT.verify_url]
    assert Image.open(job.png_path).size == page.size

    assert b"\x1dv0" in job.data  # GS v 0 raster
    assert job.data.endswith(b"\x1dV\x00")  # full cut
    assert bytes(sim.received).endswith(job.data)


def test_port_stays_open_between_jobs(sim: PrinterSimulator, printer: ReceiptPrinter) -> None:
    printer.print_image(_small_image("one"))
    port = printer._esc
    printer.print_image(_small_image("two", height=80))
    jobs = sim.wait_for_jobs(2, JOB_TIMEOUT)
    assert [j.png_path.name for j in jobs] == ["job-0001.png", "job-0002.png"]
    assert [j.image.height >= h for j, h in zip(jobs, (64, 80), strict=True)] == [True, True]
    assert printer._esc is port


def test_tall_image_survives_the_fragment_split(
    sim: PrinterSimulator, printer: ReceiptPrinter
) -> None:
    # python-escpos sends images taller than 960 rows as several GS v 0 blocks
    img = Image.effect_noise((576, 1500), 64).convert("1")
    printer.print_image(img)
    (job,) = sim.wait_for_jobs(1, JOB_TIMEOUT)
    assert job.data.count(b"\x1dv0") >= 2
    assert job.image.crop((0, 0, 576, 1500)).tobytes() == img.tobytes()


def test_narrow_image_is_centred(sim: PrinterSimulator, printer: ReceiptPrinter) -> None:
    printer.print_image(Image.new("1", (384, 8), 0))
    (job,) = sim.wait_for_jobs(1, JOB_TIMEOUT)
    assert job.image.crop((96, 0, 480, 8)).getextrema() == (0, 0)
    assert job.image.crop((0, 0, 96, 8)).getextrema() == (255, 255)


def test_paced_line_still_delivers(tmp_path: Path) -> None:
    # 115200 baud: a 64-row strip is 4.6 kB, about 0.4 s on the wire
    with PrinterSimulator(tmp_path, baud=115200) as sim:
        pr = ReceiptPrinter(sim.port)
        try:
            pr.print_image(_small_image())
            (job,) = sim.wait_for_jobs(1, JOB_TIMEOUT)
        finally:
            pr.close()
    assert job.image.crop((0, 0, 576, 64)).tobytes() == _small_image().tobytes()


def test_status_online_and_paper(sim: PrinterSimulator, printer: ReceiptPrinter) -> None:
    status = printer.status()
    assert status.state is DeviceState.ONLINE and status.usable
    sim.paper = "near_end"
    status = printer.status()
    assert status.state is DeviceState.ONLINE and status.action is Action.CLEAR
    sim.paper = "out"
    status = printer.status()
    assert status.state is DeviceState.USER_ERROR and status.action is Action.CLEAR
    assert not status.usable
    sim.paper = "ok"
    assert printer.status().state is DeviceState.ONLINE
    assert sim.received.count(b"\x10\x04\x04") == 4


def test_status_no_answer_is_offline_not_paper_out(
    sim: PrinterSimulator, printer: ReceiptPrinter
) -> None:
    sim.answering = False
    start = time.monotonic()
    status = printer.status()
    assert status.state is DeviceState.OFFLINE
    assert time.monotonic() - start < 2.0  # bounded by status_timeout (0.3 s), not the 1 s read
    sim.answering = True
    assert printer.status().state is DeviceState.ONLINE  # a late reply would have been flushed


def test_status_after_simulator_stopped_is_offline(
    sim: PrinterSimulator, printer: ReceiptPrinter
) -> None:
    assert printer.status().state is DeviceState.ONLINE
    sim.stop()
    start = time.monotonic()
    assert printer.status().state is DeviceState.OFFLINE
    assert time.monotonic() - start < 2.0
    with pytest.raises(PrinterError):  # and the next job fails cleanly instead of hanging
        printer.print_image(_small_image())


def test_missing_port(tmp_path: Path) -> None:
    pr = ReceiptPrinter(str(tmp_path / "ttyUSB9"))
    with pytest.raises(PrinterError, match="cannot open printer port"):
        pr.print_image(_small_image())
    status = pr.status()
    assert status.state is DeviceState.NO_DEVICE and not status.usable
    pr.close()


def test_too_wide_image_is_refused(printer: ReceiptPrinter) -> None:
    with pytest.raises(ValueError):
        printer.print_image(Image.new("1", (640, 8), 255))


def test_status_during_a_job_is_busy_without_waiting(printer: ReceiptPrinter) -> None:
    with printer._lock:  # as if print_image were sending a long raster
        status = printer.status()
    assert status.state is DeviceState.BUSY and status.usable


@pytest.mark.parametrize(
    ("reply", "state"),
    [
        (b"", DeviceState.OFFLINE),
        (b"\x12", DeviceState.ONLINE),
        (b"\x1e", DeviceState.ONLINE),
        (b"\x72", DeviceState.USER_ERROR),
        (b"\xff", DeviceState.HARDWARE_ERROR),  # not a status byte: wrong baud rate
    ],
)
def test_paper_reply_mapping(reply: bytes, state: DeviceState) -> None:
    assert _paper_status(reply).state is state


def test_a_reader_that_never_reads_fails_the_job_instead_of_hanging() -> None:
    pair = PtyPair()  # nobody reads the master: the pty buffer fills up
    pr = ReceiptPrinter(pair.port, baud=10_000_000, timeout=0.2)  # write timeout ~0.35 s
    try:
        with pytest.raises(PrinterError, match="failed"):
            for _ in range(10):
                pr.print_image(Image.new("1", (576, 960), 0))
        assert pr._esc is None  # dropped: the next call reopens the port
    finally:
        pr.close()
        pair.close()
