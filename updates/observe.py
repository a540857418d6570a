"""Where the gate's evidence comes from on a terminal: systemd and two small files.

/run/kiosk-ui/heartbeat.json      the UI, with each main-thread watchdog ping
/var/lib/kiosk-agent/reported.json the agent, once the broker acked a health report
Both are data from a less trusted process: read with caps, validated, never executed.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.redact import redact_lines
from agent.unit import unit_state
from updates.gate import Evidence, Heartbeat
from updates.layout import Layout

UI_UNIT = "kiosk-ui.service"
HEARTBEAT = "/run/kiosk-ui/heartbeat.json"
REPORTED = "/var/lib/kiosk-agent/reported.json"
CAP = 64 * 1024


class _HeartbeatFile(BaseModel):
    model_config = ConfigDict(extra="ignore")
    version: str = Field(max_length=64)
    pid: int = Field(ge=0)
    beats: int = Field(ge=0)
    devices: dict[str, bool] = Field(default_factory=dict, max_length=32)


class _ReportedFile(BaseModel):
    model_config = ConfigDict(extra="ignore")
    version: str = Field(max_length=64)


def _read(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read(CAP + 1)
    except OSError:
        return None


def heartbeat(path: Path) -> Heartbeat | None:
    raw = _read(path)
    if raw is None or len(raw) > CAP:
        return None
    try:
        beat = _HeartbeatFile.model_validate_json(raw)
    except ValidationError:
        return None
    return Heartbeat(beat.version, beat.pid, beat.beats, dict(beat.devices))


def reported_version(path: Path) -> str | None:
    raw = _read(path)
    try:
        return None if raw is None else _ReportedFile.model_validate_json(raw).version
    except ValidationError:
        return None


def system_observer(layout: Layout, unit: str = UI_UNIT):
    def observe() -> Evidence:
        state = unit_state(unit)
        return Evidence(
            now=time.time(), unit_active=state.active == "active",
            unit_failed=state.active == "failed", unit_restarts=state.restarts,
            heartbeat=heartbeat(layout.root / HEARTBEAT.lstrip("/")),
            reported_version=reported_version(layout.root / REPORTED.lstrip("/")))
    return observe


def device_baseline(layout: Layout) -> dict[str, bool]:
    """The running (old) release's device results, from its last heartbeat."""
    beat = heartbeat(layout.root / HEARTBEAT.lstrip("/"))
    return dict(beat.devices) if beat else {}


def restart_ui(unit: str = UI_UNIT) -> None:
    subprocess.run(["systemctl", "restart", "--no-block", unit], check=True, timeout=30)


def journal_excerpt(unit: str, since: float, lines: int = 40) -> list[str]:
    """The failed release's last journal lines, redacted (agent.redact)."""
    try:
        out = subprocess.run(["journalctl", "-u", unit, "--since", f"@{int(since)}", "-n",
                              str(lines), "-o", "cat", "--no-pager"],
                             capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return redact_lines(out.splitlines(), lines)
