"""Job confirmation: GS r 1 where the printer answers it, DLE EOT after the job where not.

Over a real pty with the simulator; ``answers_gs_r1 = False`` is a printer that answers
DLE EOT status but ignores GS r 1 (found while testing with another printer model).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from drivers.__main__ import main
from drivers.device import DeviceState, PaperLevel
from drivers.printer.driver import Confirmation, JobFailed, ReceiptPrinter
from drivers.printer.journal import JobState
from drivers.printer.simulator import PrinterSimulator

GS_R1 = b"\x1dr\x01"
WAIT = 20.0


def small_page() -> Image.Image:
    """Fits one chunk: no DLE EOT between chunks, so only the check after the job can tell."""
    img = Image.new("1", (576, 40), 255)
    ImageDraw.Draw(img).rectangle((20, 5, 300, 35), fill=0)
    return img


@pytest.fixture
def no_gs_r1(sim: PrinterSimulator) -> PrinterSimulator:
    sim.answers_gs_r1 = False
    return sim


def printer_on(sim: PrinterSimulator, **kw: object) -> ReceiptPrinter:
    return ReceiptPrinter(sim.port, **kw)  # type: ignore[arg-type]


def test_a_printer_that_answers_gs_r1_is_probed_once_and_confirms_by_it(sim) -> None:
    pr = printer_on(sim)
    try:
        assert pr.confirmation is Confirmation.UNKNOWN
        assert pr.status().state is DeviceState.ONLINE
        assert pr.confirmation is Confirmation.GS_R1
        pr.status()
        assert sim.received.count(GS_R1) == 1  # once per connection, not once per poll
        job = pr.print_image(small_page(), kind="test")
        assert job.state is JobState.DONE and sim.received.count(GS_R1) == 2  # the job's own
    finally:
        pr.close()


def test_a_job_on_a_printer_without_gs_r1_is_reported_printed(no_gs_r1) -> None:
    pr = printer_on(no_gs_r1)
    try:
        start = time.monotonic()
        job = pr.print_image(small_page(), key="SS-1", kind="certificate")
        assert job.state is JobState.DONE
        assert time.monotonic() - start < 3.0  # no wait for a reply that never comes
        assert pr.confirmation is Confirmation.STATUS_CHECK
        (printed,) = no_gs_r1.wait_for_jobs(1, WAIT)
        job_bytes = printed.data[printed.data.index(b"\x1b@"):]  # from ESC @ (the probe before)
        assert printed.cut and GS_R1 not in job_bytes  # sent without it
        assert no_gs_r1.received.count(GS_R1) == 1  # only the probe
    finally:
        pr.close()


def test_paper_out_after_the_job_on_a_printer_without_gs_r1_is_reported_failed(no_gs_r1) -> None:
    pr = printer_on(no_gs_r1)
    try:
        assert pr.status().state is DeviceState.ONLINE  # probed: status check
        no_gs_r1.run_out_of_paper_after(12 + 200)  # the query before the job, then 200 bytes
        with pytest.raises(JobFailed, match=r"paper out after (\d+) of \1 bytes") as exc:
            pr.print_image(small_page(), kind="certificate")
        assert exc.value.job.state is JobState.FAILED
        after = pr.status()
        assert after.state is DeviceState.USER_ERROR and after.paper is PaperLevel.OUT
    finally:
        pr.close()


def test_forcing_gs_r1_on_such_a_printer_fails_every_job_as_before(no_gs_r1) -> None:
    pr = printer_on(no_gs_r1, confirm="gs_r1")
    try:
        with pytest.raises(JobFailed, match="the printer did not confirm the job"):
            pr.print_image(small_page(), kind="test")
    finally:
        pr.close()


def test_confirm_status_never_sends_gs_r1(sim) -> None:
    pr = printer_on(sim, confirm="status")
    try:
        assert pr.print_image(small_page(), kind="test").state is JobState.DONE
        assert pr.confirmation is Confirmation.STATUS_CHECK and GS_R1 not in sim.received
    finally:
        pr.close()


def test_a_printer_not_ready_is_not_probed_until_it_is(sim) -> None:
    pr = printer_on(sim)
    try:
        sim.paper = "out"  # GS r 1 would be held behind the fault: no answer proves nothing
        assert pr.status().state is DeviceState.USER_ERROR
        assert pr.confirmation is Confirmation.UNKNOWN and GS_R1 not in sim.received
        sim.paper = "ok"
        pr.status()
        assert pr.confirmation is Confirmation.GS_R1
    finally:
        pr.close()


def test_each_reconnect_probes_again(tmp_path: Path) -> None:
    link = tmp_path / "ttyPRN"  # survives the power cycle (a new pty behind the same path)
    sim = PrinterSimulator(tmp_path / "pages", link=link).start()
    pr = ReceiptPrinter(str(link))
    try:
        pr.status()
        assert pr.confirmation is Confirmation.GS_R1
        sim.answers_gs_r1 = False  # another printer on the same cable
        sim.power_cycle()
        deadline = time.monotonic() + WAIT
        while pr.confirmation is not Confirmation.STATUS_CHECK and time.monotonic() < deadline:
            pr.status()  # the first may find the old port dead; the next reopens and probes
            time.sleep(0.1)
        assert pr.confirmation is Confirmation.STATUS_CHECK
    finally:
        pr.close()
        sim.stop()


def test_unknown_confirm_mode_is_refused(sim) -> None:
    with pytest.raises(ValueError, match="confirm must be one of"):
        printer_on(sim, confirm="maybe")


@pytest.mark.parametrize(("answers", "shown"), [(True, "gs_r1"), (False, "status_check")])
def test_cli_status_shows_how_jobs_are_confirmed(sim, capsys, answers, shown) -> None:
    sim.answers_gs_r1 = answers
    code = main(["printer", "status", "--port", sim.port])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["job_confirmation"] == shown and out["paper"] == "ok"
