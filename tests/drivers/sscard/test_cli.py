"""``python -m drivers sscard read`` and ``python -m drivers.sim sscard`` against the real pcscd."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.__main__ import main
from drivers.sscard.simulator import SimulatedCard
from drivers.sscard.vpcd import VirtualCard
from tests.drivers.sscard.cards import CARD
from tests.drivers.sscard.test_reader_pcscd import pcscd_sees
from tests.helpers.pcscd import Pcscd, hold_machine_lock

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def pcscd(tmp_path: Path) -> Iterator[Pcscd]:
    daemon = Pcscd(tmp_path)
    try:
        yield daemon.start()
    finally:
        daemon.stop()


def run(capsys, *argv: str) -> tuple[int, dict, str]:
    code = main(["sscard", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_read_without_pcscd_fails_with_a_clear_message(capsys) -> None:
    hold_machine_lock()  # another test run's pcscd is not up meanwhile
    code, out, err = run(capsys, "read")
    assert code == 1 and out["ok"] is False
    assert "pcscd" in out["error"] and "not running" in err


def test_read_masks_personal_fields_unless_asked(pcscd: Pcscd, capsys) -> None:
    with VirtualCard(SimulatedCard(CARD), port=pcscd.port):
        pcscd_sees(pcscd, present=True)
        code, out, _ = run(capsys, "read", "--reader", "Kiosk Test")
        assert code == 0 and out["ok"] and out["reader"] == pcscd.reader
        card = out["card"]
        assert card["name"] == "张*例" and card["ssn"] == "440304********1234"
        assert card["spec_version"] == "3.00" and card["region"] == "440300"
        assert CARD.name not in json.dumps(out, ensure_ascii=False)
        code, out, _ = run(capsys, "read", "--show-personal")
        assert code == 0 and out["card"]["name"] == CARD.name and out["card"]["ssn"] == CARD.ssn


def test_read_names_the_problem(pcscd: Pcscd, capsys) -> None:
    code, out, _ = run(capsys, "read")
    assert code == 1 and out["error"].startswith("no card in 'Kiosk Test PCD 00 00'")
    code, out, _ = run(capsys, "read", "--reader", "Gemalto")
    assert code == 1 and "no card reader matching 'Gemalto'" in out["error"]
    assert "Kiosk Test PCD 00 00" in out["error"]


def test_sim_inserts_the_card_until_ctrl_c(pcscd: Pcscd, capsys) -> None:
    sim = subprocess.Popen(
        [sys.executable, "-m", "drivers.sim", "sscard", "--port", str(pcscd.port),
         "--name", "李演示", "--records-via-get-response"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert sim.stdout is not None
        line = sim.stdout.readline()  # blocks until the card is in (or the sim gave up)
        assert "inserted" in line, sim.stderr.read() if sim.stderr else line
        pcscd_sees(pcscd, present=True)
        code, out, _ = run(capsys, "read", "--show-personal")
        assert code == 0 and out["card"]["name"] == "李演示"
    finally:
        sim.send_signal(signal.SIGINT)
        assert sim.wait(timeout=15) == 0
    pcscd_sees(pcscd, present=False)


def test_sim_without_pcscd_exits_non_zero() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "drivers.sim", "sscard", "--port", "1", "--wait", "0"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 1 and "not listening on 127.0.0.1:1" in proc.stderr
