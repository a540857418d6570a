"""The diagnostic CLI and the simulator launcher find every device module."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers.drivers_cli import REPO


def help_of(module: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", module, *args, "--help"], cwd=REPO,
                          capture_output=True, text=True, timeout=30, check=True)  # fmt: skip
    return proc.stdout


def test_both_launchers_list_the_devices() -> None:
    for module in ("drivers", "drivers.sim"):
        text = help_of(module)
        assert "idcard" in text and "queue" in text


def test_device_commands_are_documented() -> None:
    assert all(c in help_of("drivers", "idcard") for c in ("read", "sam"))
    assert all(c in help_of("drivers", "queue") for c in ("take", "status", "ping", "call"))
    assert "--show-personal" in help_of("drivers", "idcard", "read")
    assert "--card" in help_of("drivers.sim", "idcard")


def test_a_usage_error_is_not_a_traceback() -> None:
    proc = subprocess.run([sys.executable, "-m", "drivers", "queue", "take", "--port", "x"],
                          cwd=REPO, capture_output=True, text=True, timeout=30)  # fmt: skip
    assert proc.returncode == 2 and "--business" in proc.stderr
    assert "Traceback" not in proc.stderr
