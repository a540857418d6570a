"""Journaled jobs and real-time status against the simulator on a real pty and on TCP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from drivers.device import Action, DeviceState
from drivers.printer.driver import JobFailed, PrinterError, ReceiptPrinter
from drivers.printer.engine import PrinterEngine
from drivers.printer.journal import INTERRUPTED, JobState, PrintJournal
from drivers.printer.simulator import NetworkPrinterSimulator, PrinterSimulator
from drivers.printer.transport import NetworkLink
from drivers.pty_pair import PtyPair

REPO = Path(__file__).resolve().parents[3]
WAIT = 20.0


def page(height: int = 1200, seed: int = 3) -> Image.Image:
    """A 576-dot page with something on every row band (so a cut-short copy is visible)."""
    img = Image.new("1", (576, height), 255)
    draw = ImageDraw.Draw(img)
    for y in range(0, height, 40):
        draw.rectangle((20 + (y * seed) % 300, y, 260 + (y * seed) % 300, y + 20), fill=0)
    return img


@pytest.fixture
def printer(sim: PrinterSimulator, tmp_path: Path) -> Iterator[ReceiptPrinter]:
    pr = ReceiptPrinter(sim.port, journal=PrintJournal(tmp_path / "jobs.sqlite3"))
    yield pr
    pr.close()


def test_paper_out_mid_job_is_reported_then_reprinted_once(sim, printer) -> None:
    img = page()
    sim.run_out_of_paper_after(30_000)  # the roll ends a third of the way in
    with pytest.raises(JobFailed, match=r"paper out after \d+ of \d+ bytes") as exc:
        printer.print_image(img, key="SS-1", kind="certificate")
    failed = exc.value.job
    assert failed.state is JobState.FAILED and failed.attempts == 1
    assert printer.journal.get(failed.id).state is JobState.FAILED
    partial = sim.wait_for_jobs(1, WAIT)[0]
    assert not partial.cut and partial.png_path.name == "job-0001-partial.png"
    assert 0 < partial.image.height < img.height  # what came out before the paper ended
    status = printer.status()
    assert (status.state, status.detail, status.action) == (
        DeviceState.USER_ERROR, "paper out", Action.CLEAR)

    sim.paper = "ok"  # staff load a new roll: the rest of the old job must not print
    assert printer.status().state is DeviceState.ONLINE
    done = printer.reprint(failed.id)
    assert done.state is JobState.DONE and done.attempts == 2
    full = sim.wait_for_jobs(2, WAIT)[1]
    assert full.cut and full.image.crop((0, 0, 576, img.height)).tobytes() == img.tobytes()

    sent = len(sim.received)
    with pytest.raises(PrinterError, match="already printed"):
        printer.reprint(failed.id)
    again = printer.print_image(img, key="SS-1", kind="certificate")  # the same document again
    assert again.id == failed.id and again.state is JobState.DONE
    assert len(sim.received) == sent and len(sim.jobs) == 2  # not one byte went out


def test_refilled_paper_resumes_a_job_the_driver_did_not_clear(tmp_path) -> None:
    # Without DLE ENQ 2 a printer prints the held rest when the paper comes back:
    # that is why the driver clears it (see the test above: the reprint page is clean).
    engine = PrinterEngine(tmp_path)
    engine.run_out_of_paper_after(100)
    engine.feed(b"\x1b@" + b"held line\n" * 20 + b"\x1dV\x00")
    assert engine.jobs == [] and engine.stopped
    assert engine.feed(b"\x10\x04\x04") == b"\x72"  # DLE EOT still answered: paper out
    engine.paper = "ok"
    engine.resume()
    assert len(engine.jobs) == 1 and engine.jobs[0].cut and engine.jobs[0].image.height == 20 * 30


def test_cover_open_refuses_the_job_without_sending_it(sim, printer) -> None:
    sim.cover_open = True
    status = printer.status()
    assert (status.state, status.detail) == (DeviceState.USER_ERROR, "cover open")
    with pytest.raises(JobFailed, match="not sent: cover open"):
        printer.print_image(page(100))
    sim.cover_open = False
    job = printer.reprint(printer.journal.jobs()[0].id)
    assert job.state is JobState.DONE and len(sim.wait_for_jobs(1, WAIT)) == 1


def test_cutter_error_and_offline(sim, printer) -> None:
    sim.cutter_error = True
    status = printer.status()
    assert (status.state, status.detail) == (DeviceState.HARDWARE_ERROR, "cutter error")
    sim.cutter_error, sim.offline = False, True
    assert printer.status().detail == "printer offline"
    sim.offline = False
    assert printer.status().state is DeviceState.ONLINE


def test_no_answer_is_kept_apart_from_paper_out(sim, printer) -> None:
    sim.paper = "out"
    assert printer.status().detail == "paper out"
    sim.answering = False  # unplugged: nothing comes back at all
    start = time.monotonic()
    status = printer.status()
    assert (status.state, status.detail) == (DeviceState.OFFLINE, "no answer")
    assert time.monotonic() - start < 2.0
    with pytest.raises(JobFailed, match="not sent: no answer"):
        printer.print_image(page(50))
    sim.answering, sim.paper = True, "ok"
    assert printer.status().state is DeviceState.ONLINE


def test_status_does_not_wait_out_the_serial_timeout(sim, tmp_path) -> None:
    pr = ReceiptPrinter(sim.port, timeout=5.0)  # python-escpos would block 5 s per query
    try:
        pr.status()
        start = time.monotonic()
        assert pr.status().state is DeviceState.ONLINE
        assert time.monotonic() - start < 2.0
    finally:
        pr.close()


def test_garbage_on_the_line(sim, printer) -> None:
    sim.inject(b"\xff\x00\xa5")  # noise that arrived before the query is discarded
    assert printer.status().state is DeviceState.ONLINE
    sim.paper = "near_end"
    status = printer.status()
    assert (status.state, status.detail) == (DeviceState.ONLINE, "paper near end")
    # Garbage into the printer between two jobs: the parser resyncs, the next page is right.
    printer.link.write(b"\x1dv0\x00\xff\xff\xff\xff\x07\x1b\x99", 1.0)
    printer.print_image(page(80))
    pages = sim.wait_for_jobs(1, WAIT)
    assert pages[-1].cut and pages[-1].image.crop((0, 0, 576, 80)).tobytes() == page(80).tobytes()


def test_a_line_that_only_carries_garbage_is_a_hardware_error() -> None:
    pair = PtyPair()  # a printer at another baud rate: every reply byte is mangled
    stop = threading.Event()

    def mangle() -> None:
        while not stop.is_set():
            try:
                if os.read(pair.master_fd, 64):
                    os.write(pair.master_fd, b"\xff\xfe\xff\xfe")
            except OSError:
                return

    threading.Thread(target=mangle, daemon=True).start()
    pr = ReceiptPrinter(pair.port)
    try:
        status = pr.status()
        assert status.state is DeviceState.HARDWARE_ERROR and "baud rate" in status.detail
    finally:
        stop.set()
        pr.close()
        pair.close()


def test_a_wedged_printer_fails_the_job_instead_of_hanging(sim, printer) -> None:
    sim.stall_after(5_000)  # answers the status check, then never drains its buffer
    printer.timeout = 0.5
    start = time.monotonic()
    with pytest.raises(JobFailed, match="failed") as exc:
        printer.print_image(page(2000))
    assert time.monotonic() - start < 15
    assert exc.value.job.state is JobState.FAILED and printer._esc is None


def test_power_loss_mid_job_is_reported_at_start_up_and_reprinted(tmp_path) -> None:
    journal_path = tmp_path / "jobs.sqlite3"
    sim = PrinterSimulator(tmp_path / "pages", link=tmp_path / "ttyPRN").start()  # a udev name
    sim.stall_after(2_000)  # the job hangs on the line when the kiosk dies
    script = (
        "import sys; from PIL import Image; from drivers.printer.driver import ReceiptPrinter;"
        "from drivers.printer.journal import PrintJournal;"
        f"j = PrintJournal({str(journal_path)!r});"
        f"pr = ReceiptPrinter({sim.port!r}, timeout=60, journal=j);"
        "pr.print_image(Image.new('1', (576, 600), 0), key='SS-9', kind='certificate')"
    )
    kiosk = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    try:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:  # wait until the journal says "sending"
            if journal_path.exists() and PrintJournal(journal_path).jobs(JobState.SENDING):
                break
            time.sleep(0.02)
        else:
            pytest.fail("the job never reached 'sending'")
        kiosk.send_signal(signal.SIGKILL)  # power loss
        kiosk.wait(timeout=10)
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
    sim.power_cycle()  # the site comes back: the printer restarts with an empty buffer

    pr = ReceiptPrinter(str(tmp_path / "ttyPRN"), journal=PrintJournal(journal_path))
    try:
        (job,) = pr.unfinished()
        assert job.state is JobState.FAILED and job.detail == INTERRUPTED
        assert pr.reprint(job.id).state is JobState.DONE
        (page,) = sim.wait_for_jobs(1, WAIT)  # one clean page: nothing of the lost attempt
        assert page.cut and page.image.crop((0, 0, 576, 600)).getextrema() == (0, 0)
        assert pr.print_image(Image.new("1", (576, 600), 0), key="SS-9").id == job.id
        assert len(sim.jobs) == 1
    finally:
        pr.close()
        sim.stop()


# --- the same over TCP ------------------------------------------------------------------------


@pytest.fixture
def net_sim(tmp_path: Path) -> Iterator[NetworkPrinterSimulator]:
    with NetworkPrinterSimulator(tmp_path / "net") as s:
        yield s


def test_network_printer_prints_and_reports_status(net_sim) -> None:
    pr = ReceiptPrinter(link=NetworkLink("127.0.0.1", net_sim.tcp_port))
    try:
        assert pr.status().state is DeviceState.ONLINE
        img = page(300)
        assert pr.print_image(img).state is JobState.DONE
        (job,) = net_sim.wait_for_jobs(1, WAIT)
        assert job.image.crop((0, 0, 576, 300)).tobytes() == img.tobytes()
        net_sim.paper = "out"
        assert pr.status().detail == "paper out"
        net_sim.answering = False
        assert pr.status().detail == "no answer"
        net_sim.answering, net_sim.paper = True, "ok"
        port = net_sim.tcp_port
        net_sim.stop()  # the printer is switched off
        assert pr.status().state in (DeviceState.OFFLINE, DeviceState.NO_DEVICE)
        with NetworkPrinterSimulator(net_sim.out_dir, tcp_port=port):  # and on again
            assert pr.status().state is DeviceState.ONLINE
    finally:
        pr.close()


def test_network_printer_that_is_not_there(tmp_path) -> None:
    with NetworkPrinterSimulator(tmp_path) as s:
        port = s.tcp_port
    pr = ReceiptPrinter(link=NetworkLink("127.0.0.1", port, timeout=0.5))
    status = pr.status()
    assert (status.state, status.detail) == (DeviceState.NO_DEVICE, "port missing")
    with pytest.raises(JobFailed, match=r"cannot open printer 127\.0\.0\.1"):
        pr.print_image(page(10))
