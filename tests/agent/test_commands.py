"""The agent's command checks, with the real signing code and a real nonce store."""

from __future__ import annotations

import json

import pytest

from agent.commands import Commands
from common.command_signing import sign_command, terminal_key
from kiosk.fleet.store import TerminalStore

KEY = terminal_key(b"f" * 32, "T-1")


@pytest.fixture
def setup(tmp_path):
    store = TerminalStore(tmp_path / "agent.sqlite")
    health = {"ui": "failed"}
    cmds = Commands(KEY, "T-1", store, tmp_path, ui_health=lambda: health["ui"],
                    journal=lambda n: [f"line {i}" for i in range(n)])
    yield cmds, tmp_path, health
    store.close()


def send(cmds, cmd, args=None, key=KEY, terminal="T-1"):
    return cmds.handle(json.dumps(sign_command(key, terminal, cmd, args, by="op")).encode())


def test_restart_ui_leaves_a_request_for_the_path_unit(setup):
    cmds, folder, _h = setup
    out = send(cmds, "restart_ui")
    assert out.body["ok"] and out.body["result"] == "done"
    assert (folder / "restart-ui").exists()


def test_a_badly_signed_command_does_nothing(setup):
    cmds, folder, _h = setup
    out = send(cmds, "restart_ui", key=b"x" * 32)
    assert out.body["result"] == "refused" and out.body["detail"] == "bad signature"
    assert not (folder / "restart-ui").exists()


def test_a_replayed_command_is_refused(setup):
    cmds, folder, _h = setup
    body = json.dumps(sign_command(KEY, "T-1", "restart_ui")).encode()
    assert cmds.handle(body).body["ok"]
    (folder / "restart-ui").unlink()
    again = cmds.handle(body)
    assert again.body["detail"] == "replayed nonce"
    assert not (folder / "restart-ui").exists()


def test_a_command_for_another_terminal_or_unknown_is_refused(setup):
    cmds, _f, _h = setup
    assert send(cmds, "restart_ui", terminal="T-2").body["detail"] == "not for this terminal"
    assert send(cmds, "format_disk").body["result"] == "refused"
    assert cmds.handle(b"[1]").body["result"] == "refused"
    assert cmds.handle(b"\xff").body["result"] == "refused"


def test_reboot_waits_for_the_answer_and_needs_force_while_the_ui_runs(setup):
    cmds, folder, health = setup
    health["ui"] = "running"
    assert send(cmds, "reboot").body["result"] == "refused"
    out = send(cmds, "reboot", {"force": True})
    assert out.body["ok"] and not (folder / "reboot").exists()  # not before the answer left
    out.then()
    assert (folder / "reboot").exists()
    health["ui"] = "failed"
    (folder / "reboot").unlink()
    send(cmds, "reboot").then()
    assert (folder / "reboot").exists()


def test_collect_logs_is_capped(setup):
    cmds, _f, _h = setup
    out = send(cmds, "collect_logs", {"lines": 5})
    assert out.extra["agent/logs"]["lines"] == [f"line {i}" for i in range(5)]
    assert send(cmds, "collect_logs", {"lines": 10_000}).body["result"] == "refused"
