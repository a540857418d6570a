"""``python -m drivers printer ...`` and ``python -m drivers.sim printer`` on real ptys."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp

from drivers.__main__ import main
from drivers.printer.cli import TEST_URL
from drivers.printer.driver import JobFailed, ReceiptPrinter
from drivers.printer.journal import PrintJournal
from drivers.printer.simulator import PrinterSimulator

REPO = Path(__file__).resolve().parents[3]
WAIT = 20.0


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[PrinterSimulator]:
    with PrinterSimulator(tmp_path / "pages") as s:
        yield s


def run(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["printer", *argv])
    out, _err = capsys.readouterr()
    return code, json.loads(out)


def test_status(sim, capsys) -> None:
    code, out = run(capsys, "status", "--port", sim.port)
    assert code == 0 and out["state"] == "online" and out["usable"] is True
    assert out["query_ms"] < 1000  # the answer, not a serial timeout
    sim.paper = "out"
    code, out = run(capsys, "status", "--port", sim.port)
    assert code == 0 and (out["state"], out["detail"], out["action"]) == (
        "user_error", "paper out", "clear")
    assert out["status"]["paper"] == "out" and out["usable"] is False
    assert out["detail_zh"] == "打印纸用完"


def test_status_failures_exit_non_zero(sim, tmp_path, capsys) -> None:
    sim.answering = False
    code, out = run(capsys, "status", "--port", sim.port)
    assert code == 1 and "did not answer" in out["error"]
    code, out = run(capsys, "status", "--port", str(tmp_path / "ttyS9"))
    assert code == 1 and out["error"].startswith("cannot open printer port")


@pytest.mark.parametrize("profile", ["cn-font-qr", "raster-only"])
def test_test_page(sim, capsys, profile: str) -> None:
    code, out = run(capsys, "test-page", "--port", sim.port, "--profile", profile)
    assert code == 0 and out["job"]["state"] == "done" and out["job"]["kind"] == "test-page"
    (page,) = sim.wait_for_jobs(1, WAIT)
    assert [r.text for r in zxingcpp.read_barcodes(page.image.convert("L"))] == [TEST_URL]
    if profile == "cn-font-qr":
        assert b"\x1d(k" in page.data and "测试页".encode("gb18030") in page.data
        assert out["job"]["size"] < 3000
    else:
        assert b"\x1d(k" not in page.data and out["job"]["size"] > 15_000


def test_test_page_on_a_printer_without_paper(sim, capsys) -> None:
    sim.paper = "out"
    code, out = run(capsys, "test-page", "--port", sim.port)
    assert code == 1 and out["error"] == "print job 1 failed: not sent: paper out"


def test_jobs_and_reprint_from_the_kiosk_journal(sim, tmp_path, capsys) -> None:
    journal = tmp_path / "printer-journal.sqlite3"
    kiosk = ReceiptPrinter(sim.port, journal=PrintJournal(journal))
    sim.cover_open = True
    with pytest.raises(JobFailed):
        kiosk.print_job("证明\n".encode("gb18030"), key="SS-1", kind="certificate")
    kiosk.close()
    kiosk.journal.close()

    code, out = run(capsys, "jobs", "--journal", str(journal))
    assert code == 0 and [(j["id"], j["state"], j["detail"]) for j in out["unfinished"]] == [
        (1, "failed", "not sent: cover open")]
    sim.cover_open = False
    code, out = run(capsys, "reprint", "--port", sim.port, "--journal", str(journal),
                    "--job", "1")
    assert code == 0 and out["job"]["state"] == "done" and out["job"]["attempts"] == 2
    assert len(sim.wait_for_jobs(1, WAIT)) == 1
    code, out = run(capsys, "reprint", "--port", sim.port, "--journal", str(journal),
                    "--job", "1")
    assert code == 1 and out["error"] == "job 1 was already printed"
    code, out = run(capsys, "jobs", "--journal", str(tmp_path / "none.sqlite3"))
    assert code == 1 and "no print journal" in out["error"]


def test_sim_prints_its_pty_and_runs_until_ctrl_c(tmp_path, capsys) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "drivers.sim", "printer", "--paper", "near_end",
         "--out", str(tmp_path / "pages"), "--no-pace"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        port = proc.stdout.readline().strip()
        assert port.startswith("/dev/pts/"), proc.stderr.read() if proc.stderr else port
        code, out = run(capsys, "status", "--port", port)
        assert code == 0 and out["detail"] == "paper near end"
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
