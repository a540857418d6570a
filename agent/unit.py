"""The UI unit as systemd sees it (``systemctl show``) and its last journal lines."""

from __future__ import annotations

import logging
import subprocess
from dataclasses import asdict, dataclass

from agent.redact import redact_lines

log = logging.getLogger(__name__)
PROPS = ("ActiveState", "SubState", "Result", "NRestarts", "ExecMainCode", "ExecMainStatus",
         "StateChangeTimestampMonotonic")


@dataclass(frozen=True)
class UnitState:
    active: str  # systemd's ActiveState: active, activating, deactivating, inactive, failed
    sub: str  # SubState: running, start, auto-restart, dead, failed...
    result: str  # success, exit-code, signal, core-dump, watchdog, start-limit-hit...
    restarts: int  # NRestarts: automatic restarts since the unit was last started by hand

    @property
    def health(self) -> str:
        """What the console shows: running, starting, restarting, failed or dead."""
        if self.active == "active":
            return "running"
        if self.active == "failed":
            return "failed"
        if self.sub == "auto-restart" or (self.active == "activating" and self.restarts):
            return "restarting"
        if self.active == "activating":
            return "starting"
        return "dead"  # inactive, deactivating: stopped, or on its way out

    def report(self) -> dict:
        return {**asdict(self), "health": self.health}


def parse_show(text: str) -> UnitState:
    values = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    restarts = values.get("NRestarts", "0")
    return UnitState(
        active=values.get("ActiveState", "unknown"), sub=values.get("SubState", "unknown"),
        result=values.get("Result", "unknown"),
        restarts=int(restarts) if restarts.isdigit() else 0,
    )


def unit_state(unit: str, timeout_s: float = 10) -> UnitState:
    out = subprocess.run(
        ["systemctl", "show", unit, "--property=" + ",".join(PROPS)],
        capture_output=True, text=True, timeout=timeout_s,
    )
    if out.returncode != 0:
        return UnitState("unknown", "unknown", out.stderr.strip()[:80] or "unknown", 0)
    return parse_show(out.stdout)


def journal_tail(unit: str, lines: int, timeout_s: float = 10) -> list[str]:
    """The unit's last ``lines`` journal lines, redacted.

    Not ``--boot``: that reads /proc/sys, which the agent's ProcSubset=pid hides.
    """
    out = subprocess.run(
        ["journalctl", "--unit", unit, "--lines", str(lines), "--output", "cat",
         "--no-pager", "--quiet"],
        capture_output=True, text=True, timeout=timeout_s, errors="replace",
    )
    if out.returncode != 0:
        log.warning("journalctl: %s", out.stderr.strip()[:200])
    return redact_lines(out.stdout.splitlines(), lines)
