"""``python -m drivers idcard ...`` as staff on site run it, against simulators on ptys."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.idcard.cli import demo_cards, mask_name, mask_number, pick_card
from drivers.idcard.samples import FOREIGN_2023, HMT_PERMIT
from drivers.idcard.simulator import IdCardSimulator
from drivers.pty_pair import PtyPair
from tests.helpers.drivers_cli import run_cli, sim_process

CARD = demo_cards()[0]


@pytest.fixture
def sim() -> Iterator[IdCardSimulator]:
    with IdCardSimulator(CARD, baud=115200) as s:
        yield s


def test_read_prints_masked_json(sim: IdCardSimulator) -> None:
    code, out, err = run_cli("idcard", "read", "--port", sim.port)
    assert code == 0, err
    card = out["card"]
    assert out["ok"] and out["masked"] and out["read_ms"] > 0
    assert card["card_type"] == "resident"
    assert card["name"] == mask_name(CARD.name) == CARD.name[0] + "*" + CARD.name[-1]
    assert card["id_number"] == CARD.id_number[:6] + "********" + CARD.id_number[-4:]
    assert card["valid_to"] == CARD.valid_to and card["sex"] == CARD.sex
    assert card["photo"] == {"format": "WLT", "bytes": 1024}
    text = str(out) + err
    for secret in (CARD.name, CARD.id_number, CARD.address, CARD.birth):
        assert secret not in text


def test_show_personal_prints_the_full_values(sim: IdCardSimulator) -> None:
    code, out, _ = run_cli("idcard", "read", "--port", sim.port, "--show-personal")
    assert code == 0 and not out["masked"]
    card = out["card"]
    assert (card["name"], card["id_number"], card["address"], card["birth"]) == (
        CARD.name, CARD.id_number, CARD.address, CARD.birth)  # fmt: skip


def test_permits_are_read_and_masked() -> None:
    with IdCardSimulator(FOREIGN_2023) as sim:
        code, out, _ = run_cli("idcard", "read", "--port", sim.port)
    card = out["card"]
    assert code == 0 and card["card_type"] == "foreign_permanent_2023"
    assert card["english_name"] == mask_name(FOREIGN_2023.english_name)
    assert card["nationality"] == "USA" and card["renewal_count"] == "00"
    assert FOREIGN_2023.english_name not in str(out)


def test_read_at_another_rate() -> None:
    with IdCardSimulator(HMT_PERMIT, baud=57600) as sim:
        code, out, err = run_cli("idcard", "read", "--port", sim.port, "--baud", "57600")
    assert code == 0, err
    assert out["card"]["pass_number"] == "H1*****78"


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("no_card", "no card on the reader"),
        ("no_device", "does not exist"),
        ("silent", "no answer from the reader"),
        ("wrong_baud", "at 9600 baud"),
        ("sam_fault", "SAM self-test failed (SW3 60)"),
    ],
)
def test_failures_exit_non_zero_with_a_clear_message(setup: str, expected: str) -> None:
    args = ["idcard", "read"]
    with IdCardSimulator(baud=115200) as sim:
        port = sim.port
        if setup == "no_device":
            port = "/dev/ttyNOSUCHREADER"
        if setup == "wrong_baud":
            args += ["--baud", "9600"]
        if setup == "sam_fault":
            sim.force((0x11, 0xFF), 0x60)
        if setup == "silent":
            pty = PtyPair()
            port = pty.port
        try:
            code, out, err = run_cli(*args, "--port", port)
        finally:
            if setup == "silent":
                pty.close()
    assert code == 1
    assert out["ok"] is False and expected in out["error"]
    assert expected in err
    assert "—" in out["error"]  # and the same in Chinese for staff on site


def test_sam_reports_its_id(sim: IdCardSimulator) -> None:
    code, out, _ = run_cli("idcard", "sam", "--port", sim.port)
    assert code == 0 and out["sam_id"] == "05010000202401010000000100000000"


def test_the_simulator_launcher_end_to_end(tmp_path: Path) -> None:
    link = tmp_path / "ttyIDCARD"
    with sim_process("idcard", "--card", "2", "--link", str(link)) as sim:
        assert sim.port == str(link) and os.path.realpath(link).startswith("/dev/pts/")
        code, out, _ = run_cli("idcard", "read", "--port", sim.port, "--show-personal")
        assert code == 0 and out["card"]["id_number"] == demo_cards()[1].id_number
        sim.type("J")
        sim.wait_stderr("card on the reader: hmt_permit")
        code, out, _ = run_cli("idcard", "read", "--port", sim.port)
        assert code == 0 and out["card"]["card_type"] == "hmt_permit"
        sim.type("0")
        sim.wait_stderr("card taken away")
        code, out, _ = run_cli("idcard", "read", "--port", sim.port)
        assert code == 1 and "no card" in out["error"]
    assert sim.proc.returncode == 0  # SIGTERM stops it cleanly
    assert not link.exists()  # and it unplugged itself


def test_masks() -> None:
    assert [mask_name(n) for n in ("张示例", "张三", "欧阳娜娜", "王")] == [
        "张*例", "张*", "欧**娜", "*"]  # fmt: skip
    assert mask_number("440304198803121237") == "440304********1237"
    assert mask_number("USA310080808001") == "USA310*****8001"
    assert mask_number("H12345678") == "H1*****78"
    assert mask_number("123") == "***"


def test_pick_card() -> None:
    assert pick_card("demo") == pick_card("1") == demo_cards()[0]
    assert pick_card("y") == FOREIGN_2023 and pick_card("0") is None
    for bad in ("99", "x"):
        with pytest.raises(ValueError):
            pick_card(bad)
