"""``python -m drivers printer ...`` and ``python -m drivers.sim printer`` on real ptys."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import zxingcpp

from drivers.__main__ import main
from drivers.printer.cli import KIOSK_TIME_ZONE, TEST_URL
from drivers.printer.driver import JobFailed, ReceiptPrinter
from drivers.printer.journal import PrintJournal
from drivers.printer.simulator import PrinterSimulator
from kiosk.config import TerminalConfig

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

    no_config = str(tmp_path / "kiosk.toml")
    code, out = run(capsys, "jobs", "--journal", str(journal), "--config", no_config)
    assert code == 0 and [(j["id"], j["state"], j["detail"]) for j in out["unfinished"]] == [
        (1, "failed", "not sent: cover open")]
    sim.cover_open = False
    code, out = run(capsys, "reprint", "--port", sim.port, "--journal", str(journal),
                    "--job", "1", "--config", no_config)
    assert code == 0 and out["job"]["state"] == "done" and out["job"]["attempts"] == 2
    assert len(sim.wait_for_jobs(1, WAIT)) == 1
    code, out = run(capsys, "reprint", "--port", sim.port, "--journal", str(journal),
                    "--job", "1")
    assert code == 1 and out["error"] == "job 1 was already printed"
    code, out = run(capsys, "jobs", "--journal", str(tmp_path / "none.sqlite3"))
    assert code == 1 and "no print journal" in out["error"]


def failed_job(journal_path: Path) -> float:
    """A job left failed in a kiosk's journal; its time, as the journal keeps it (epoch)."""
    journal = PrintJournal(journal_path)
    try:
        job = journal.add(b"ticket\n", kind="queue-ticket")
        journal.begin(job.id)
        return journal.fail(job.id, "not sent: paper out").created
    finally:
        journal.close()


def local(epoch: float, zone: str) -> str:
    return datetime.fromtimestamp(epoch, ZoneInfo(zone)).isoformat(" ", "seconds")


def test_jobs_show_the_terminals_local_time_and_say_whose(tmp_path, capsys) -> None:
    journal = tmp_path / "printer-journal.sqlite3"
    created = failed_job(journal)
    config = tmp_path / "kiosk.toml"
    config.write_text('[terminal]\nid = "t1"\nsite = "s"\ntime_zone = "Asia/Urumqi"\n')
    code, out = run(capsys, "jobs", "--journal", str(journal), "--config", str(config))
    (job,) = out["unfinished"]
    assert code == 0 and job["created"] == local(created, "Asia/Urumqi")
    assert job["created"].endswith("+06:00") and job["updated"].endswith("+06:00")
    assert out["time_zone"] == {"name": "Asia/Urumqi", "from": f"{config} [terminal] time_zone"}

    config.write_text('[terminal]\nid = "t1"\nsite = "s"\n')  # the kiosk's default zone
    code, out = run(capsys, "jobs", "--journal", str(journal), "--config", str(config))
    assert TerminalConfig.model_fields["time_zone"].default == KIOSK_TIME_ZONE
    assert out["unfinished"][0]["created"] == local(created, "Asia/Shanghai")
    assert out["time_zone"]["name"] == "Asia/Shanghai"

    config.write_text('[terminal]\ntime_zone = "Mars/Olympus"\n')
    code, out = run(capsys, "jobs", "--journal", str(journal), "--config", str(config))
    assert code == 1 and "unknown [terminal] time_zone 'Mars/Olympus'" in out["error"]


def test_jobs_without_a_config_show_the_machines_time_and_say_so(
        tmp_path, capsys, monkeypatch) -> None:
    journal = tmp_path / "printer-journal.sqlite3"
    created = failed_job(journal)
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        missing = tmp_path / "none.toml"
        code, out = run(capsys, "jobs", "--journal", str(journal), "--config", str(missing))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert code == 0 and out["unfinished"][0]["created"] == local(created, "America/New_York")
    assert out["time_zone"]["from"] == f"this machine ({missing}: not found)"
    assert out["time_zone"]["name"] in ("EST", "EDT")


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
