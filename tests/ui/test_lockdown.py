"""A crash in the UI: logged (type and frames, never the message), and the process
exits non-zero at once, so that systemd restarts it; nothing is left on the screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.broker import free_port
from ui.lockdown import CRASH_EXIT_CODE

REPO = Path(__file__).resolve().parents[2]


def kiosk_config(tmp_path: Path) -> Path:
    text = (REPO / "config/kiosk.toml").read_text()
    text = text.replace('data_dir = "var"', f'data_dir = "{tmp_path}"')
    text = text.replace("port = 18830", f"port = {free_port()}")  # no broker: it retries
    config = tmp_path / "kiosk.toml"
    config.write_text(text)
    return config


@pytest.mark.timeout(120)
def test_an_exception_in_the_main_loop_is_logged_and_exits_non_zero(tmp_path):
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_HOME": str(tmp_path / "kivy"),
           "KIOSK_TEST_RAISE_AFTER_S": "3"}
    done = subprocess.run(
        [sys.executable, "-m", "ui", "--config", str(kiosk_config(tmp_path)), "--simulate"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=90,  # it must not hang
    )
    log = done.stdout + done.stderr
    assert done.returncode == CRASH_EXIT_CODE, log[-3000:]
    assert "ready: attract screen drawn" in log  # it crashed while running, not at start
    assert "kiosk UI crashed: __main__.InjectedCrash at " in log
    assert "in crash" in log  # where: the frame that raised
    assert "110101199003071234" not in log, "the exception's message (personal data) logged"
    assert "Traceback" not in log  # no traceback printed by Python or Kivy
    assert log.count("kiosk UI crashed") == 1
    assert "exits with 70" in log
