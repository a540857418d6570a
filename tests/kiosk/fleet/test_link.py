"""The kiosk side of reload_config and reboot (kiosk/fleet/link.py), without a window."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from kiosk.config import ConfigError, load_config
from kiosk.fleet.link import AppLink
from kiosk.session import Session

REPO = Path(__file__).resolve().parents[3]


def fake_app(tmp_path: Path, text: str) -> SimpleNamespace:
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    config = load_config(path)
    return SimpleNamespace(config_path=str(path), config_model=config,
                           session=Session(config.session),
                           health=SimpleNamespace(wait_delivered=lambda timeout: True))


def test_reload_applies_session_timeouts_and_names_what_needs_a_restart(tmp_path):
    shipped = (REPO / "config" / "kiosk.toml").read_text()
    app = fake_app(tmp_path, shipped)
    link = AppLink(app, post=lambda fn: fn())
    Path(app.config_path).write_text(
        shipped.replace("idle_timeout_s = 60", "idle_timeout_s = 90")
        .replace("heartbeat_s = 30", "heartbeat_s = 300"))
    assert link.reload_config() == "applied: session; needs a restart: broker"
    assert app.session.config.idle_timeout_s == 90

    Path(app.config_path).write_text(shipped.replace("idle_timeout_s = 60", "idle_timeout = 1"))
    with pytest.raises(ConfigError, match="unknown key"):
        link.reload_config()  # answered as an error; nothing applied
    assert app.session.config.idle_timeout_s == 90


def test_reboot_runs_the_configured_command_or_only_logs(tmp_path):
    shipped = (REPO / "config" / "kiosk.toml").read_text()
    app = fake_app(tmp_path, shipped)
    assert AppLink(app, post=lambda fn: fn()).reboot().startswith("demo:")
    marker = tmp_path / "rebooted"
    app = fake_app(tmp_path, shipped.replace(
        "reboot_command = []", f'reboot_command = ["touch", "{marker}"]'))
    assert AppLink(app, post=lambda fn: fn()).reboot() == f"rebooting: touch {marker}"
    deadline = time.monotonic() + 10
    while not marker.exists():
        assert time.monotonic() < deadline, "the reboot command never ran"
        time.sleep(0.02)
