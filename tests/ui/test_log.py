"""The kiosk's log as a maintenance engineer reads it (journald keeps stdout/stderr):
one line per event, each once, INFO by default, the level set in the config."""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.helpers.broker import free_port

REPO = Path(__file__).resolve().parents[2]


def run_kiosk(tmp_path: Path, level: str | None, seconds: float = 8) -> list[str]:
    text = (REPO / "config/kiosk.toml").read_text()
    text = text.replace('data_dir = "var"', f'data_dir = "{tmp_path}"')
    text = text.replace("port = 18830", f"port = {free_port()}")  # no broker: it retries
    if level:
        text = text.replace('log_level = "INFO"', f'log_level = "{level}"')
    config = tmp_path / "kiosk.toml"
    config.write_text(text)
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_HOME": str(tmp_path / "kivy")}
    proc = subprocess.Popen([sys.executable, "-m", "ui", "--config", str(config), "--simulate"],
                            cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(line.rstrip("\n") for line in proc.stdout),
                     daemon=True).start()
    deadline = time.monotonic() + 60
    while not any("ready: attract screen drawn" in line for line in lines):
        if time.monotonic() > deadline or proc.poll() is not None:
            break
        time.sleep(0.1)
    time.sleep(seconds)  # what it logs while it runs, not only at start-up
    proc.terminate()
    proc.wait(timeout=20)
    assert any("ready: attract screen drawn" in line for line in lines), lines[-20:]
    return lines


@pytest.mark.timeout(120)
def test_each_event_is_one_line_once_and_nothing_below_info(tmp_path):
    lines = run_kiosk(tmp_path, level=None)
    events = [line.split(" ", 2)[2] for line in lines if line[:2] == "20"]  # drop the time
    twice = [e for e, n in collections.Counter(events).items() if n > 1]
    assert not [line for line in lines if line.startswith("[")], "Kivy's own second copy"
    assert not [e for e in events if e.startswith("DEBUG")]
    assert not [line for line in lines if "STREAM b'" in line], "PNG chunk dumps"
    # Reconnect attempts to the absent broker may repeat; nothing else may.
    assert [e for e in twice if "fleet broker" not in e] == []
    assert not (tmp_path / "kivy" / "logs").exists() or not any((tmp_path / "kivy" / "logs")
                                                                 .iterdir())


@pytest.mark.timeout(120)
def test_the_config_sets_the_level(tmp_path):
    lines = run_kiosk(tmp_path, level="DEBUG", seconds=3)
    assert any(" DEBUG " in line for line in lines)
