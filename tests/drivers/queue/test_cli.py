"""``python -m drivers queue ...`` and ``python -m drivers.sim queue`` as real subprocesses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.queue.protocol import Flags
from drivers.queue.simulator import QueueSimulator
from tests.helpers.drivers_cli import run_cli, sim_process


@pytest.fixture
def sim() -> Iterator[QueueSimulator]:
    with QueueSimulator(baud=9600) as s:
        yield s


def test_take_status_ping_and_call(sim: QueueSimulator) -> None:
    code, out, err = run_cli("queue", "take", "--port", sim.port, "--business", "2")
    assert code == 0, err
    assert out == {"ok": True, "business": 2, "ticket": "B001", "waiting": 0}
    code, out, _ = run_cli("queue", "take", "--port", sim.port, "--business", "2")
    assert (code, out["ticket"], out["waiting"]) == (0, "B002", 1)
    code, out, _ = run_cli("queue", "call", "--port", sim.port, "--window", "4", "--ticket", "B001")
    assert code == 0 and sim.announced == ["请B001号到4号窗口"]
    sim.paper = "low"
    code, out, _ = run_cli("queue", "status", "--port", sim.port)
    assert code == 0 and out["flags"] == ["paper_low"] and out["waiting"] == 1
    assert (out["state"], out["action"], out["detail_zh"]) == ("online", "clear", "取号纸即将用完")
    code, out, _ = run_cli("queue", "ping", "--port", sim.port)
    assert code == 0 and out["round_trip_ms"] > 0


def test_every_cli_run_issues_a_new_ticket(sim: QueueSimulator) -> None:
    # Each run is a new process with a new SEQ: none may pass for a retry of the last.
    tickets = [run_cli("queue", "take", "--port", sim.port, "--business", "1")[1]["ticket"]
               for _ in range(3)]  # fmt: skip
    assert tickets == ["A001", "A002", "A003"]


@pytest.mark.parametrize(
    ("setup", "args", "expected"),
    [
        ("paper", ["take", "--business", "1"], "ticket paper out — 取号纸已用完"),
        ("fault", ["take", "--business", "1"], "device fault — 设备故障"),
        ("", ["take", "--business", "9"], "refused the parameters"),
        ("", ["take", "--business", "1", "--addr", "7"], "address 7"),
        ("", ["call", "--window", "1", "--ticket", "A-1"], "参数无效"),
        ("missing", ["ping"], "does not exist"),
        ("silent", ["ping"], "no answer from the queue device"),
    ],
)
def test_failures_exit_non_zero_with_a_clear_message(
    setup: str, args: list[str], expected: str, sim: QueueSimulator
) -> None:
    sim.paper = "out" if setup == "paper" else "ok"
    sim.faults = Flags.PRINTER_FAULT if setup == "fault" else Flags.NONE
    sim.answering = setup != "silent"
    port = "/dev/ttyNOSUCHQUEUE" if setup == "missing" else sim.port
    code, out, err = run_cli("queue", args[0], "--port", port, *args[1:])
    assert code == 1 and out["ok"] is False
    assert expected in out["error"] and expected in err


def test_the_simulator_launcher_end_to_end() -> None:
    with sim_process("queue", "--no-pace") as sim:
        code, out, _ = run_cli("queue", "take", "--port", sim.port, "--business", "3")
        assert (code, out["ticket"]) == (0, "C001")
        sim.type("paper out")
        sim.wait_stderr("ok: paper out")
        code, out, _ = run_cli("queue", "take", "--port", sim.port, "--business", "3")
        assert code == 1 and "paper out" in out["error"]
        sim.type("nonsense")
        sim.wait_stderr("type: paper")
    assert sim.proc.returncode == 0
