"""A unit file read as systemd reads it: sections of (key, value), drop-ins after."""

from __future__ import annotations

import re
from pathlib import Path

UNITS = Path(__file__).resolve().parents[2] / "systemd"
SHIPPED = sorted(p for p in UNITS.iterdir() if p.suffix in (".service", ".path", ".timer"))
TIME = re.compile(r"^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)?$")
FACTOR = {None: 1, "s": 1, "sec": 1, "ms": 0.001, "m": 60, "min": 60, "h": 3600}


def read_unit(*paths: Path) -> dict[str, dict[str, str]]:
    """The last value of each key (a later file or line overrides an earlier one)."""
    sections: dict[str, dict[str, str]] = {}
    for path in paths:
        section = None
        for raw in path.read_text().splitlines():
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                section = sections.setdefault(line.strip("[]"), {})
            elif "=" in line and section is not None:
                key, value = line.split("=", 1)
                section[key.strip()] = value.strip()
    return sections


def seconds(value: str) -> float:
    match = TIME.match(value)
    if not match:
        raise ValueError(f"not a time span this test reads: {value!r}")
    return float(match.group(1)) * FACTOR[match.group(2)]


def start_limit_problem(unit: dict[str, dict[str, str]]) -> str | None:
    """Why a crash loop would never trip the start limit, or None when it does.

    systemd counts starts within StartLimitIntervalSec; a unit restarted every
    RestartSec starts at most interval / RestartSec times in one interval, so the
    limit trips only if the interval is longer than burst x RestartSec.
    """
    service, head = unit.get("Service", {}), unit.get("Unit", {})
    if service.get("Restart", "no") == "no":
        return None
    interval = seconds(head.get("StartLimitIntervalSec", "10"))
    if interval == 0:
        return None  # no limit at all: restarts forever (the agent, on purpose)
    burst = int(head.get("StartLimitBurst", "5"))
    restart = seconds(service.get("RestartSec", "0.1"))
    if interval <= burst * restart:
        return (f"StartLimitIntervalSec={interval:g} is not longer than StartLimitBurst={burst}"
                f" x RestartSec={restart:g} = {burst * restart:g}: the limit never trips")
    return None
