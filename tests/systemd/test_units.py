"""The shipped units: the start-limit rule, their hardening score, their shape."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.systemd.unitfile import SHIPPED, UNITS, read_unit, start_limit_problem

GOAL = 2.0  # systemd-analyze security exposure; Debian's systemd-timesyncd scores 2.3
DROPINS = Path(__file__).parent / "dropins"
SERVICES = [p for p in SHIPPED if p.suffix == ".service"]
EXPOSURE = re.compile(r"Overall exposure level for \S+: (\d+\.\d+)")


def test_the_units_the_readme_names_are_shipped():
    names = {p.name for p in SHIPPED}
    assert {"kiosk-ui.service", "kiosk-agent.service", "kiosk-out-of-service.service",
            "kiosk-ui-restart.service", "kiosk-ui-restart.path", "kiosk-reboot.path",
            "kiosk-nightly-restart.timer"} <= names
    readme = (UNITS / "README.md").read_text()
    for name in names:
        assert name in readme, f"{name} is not described in systemd/README.md"


@pytest.mark.parametrize("unit", SERVICES, ids=lambda p: p.name)
def test_a_crash_loop_trips_the_start_limit(unit):
    dropin = DROPINS / f"{unit.name}.d" / "test.conf"
    assert start_limit_problem(read_unit(unit)) is None
    if dropin.exists():  # the test's shorter delays keep the rule too
        assert start_limit_problem(read_unit(unit, dropin)) is None


def test_the_rule_catches_an_interval_equal_to_the_restart_delay(tmp_path):
    bad = tmp_path / "bad.service"
    bad.write_text("[Unit]\nStartLimitIntervalSec=5\nStartLimitBurst=5\n"
                   "[Service]\nRestart=on-failure\nRestartSec=5\n")
    assert "never trips" in start_limit_problem(read_unit(bad))
    bad.write_text("[Unit]\nStartLimitIntervalSec=25s\nStartLimitBurst=5\n"
                   "[Service]\nRestart=always\nRestartSec=5\n")
    assert "never trips" in start_limit_problem(read_unit(bad))


def exposure(unit: Path) -> tuple[float, str]:
    out = subprocess.run(["systemd-analyze", "security", "--offline=true", str(unit)],
                         capture_output=True, text=True, timeout=60)
    match = EXPOSURE.search(out.stdout)
    assert match, f"no exposure figure for {unit.name}: {out.stdout[-500:]}{out.stderr}"
    return float(match.group(1)), out.stdout


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
@pytest.mark.parametrize("unit", SERVICES, ids=lambda p: p.name)
def test_exposure_is_at_most_the_goal(unit):
    figure, report = exposure(unit)
    print(f"{unit.name}: exposure {figure}")
    failing = "\n".join(line for line in report.splitlines() if line.startswith("✗"))
    assert figure <= GOAL, f"{unit.name}: exposure {figure} > {GOAL}\n{failing}"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_the_score_test_fails_on_an_unhardened_unit(tmp_path):
    plain = tmp_path / "plain.service"
    plain.write_text("[Service]\nExecStart=/bin/true\n")
    figure, _ = exposure(plain)
    assert figure > GOAL  # a root service with no sandbox: about 9.6


@pytest.mark.parametrize("unit", SERVICES, ids=lambda p: p.name)
def test_no_service_runs_with_privileges(unit):
    service = read_unit(unit)["Service"]
    assert service.get("NoNewPrivileges") == "yes"
    assert service.get("CapabilityBoundingSet") == ""
    assert service.get("ProtectSystem") == "strict"
    assert service.get("PrivateTmp") == "yes"
    assert service.get("SystemCallFilter")
    if unit.name != "kiosk-ui-restart.service":  # talks to PID 1's root-only socket
        assert service.get("User") in ("kiosk", "kiosk-agent")


def test_the_ui_unit_is_watched_by_systemd():
    unit = read_unit(UNITS / "kiosk-ui.service")
    service = unit["Service"]
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "all"  # cage is the main process, the app its child
    # cage 0.1.4 exits 0 when the app crashes: only "always" restarts a crashed UI
    assert service["Restart"] == "always"
    assert float(service["WatchdogSec"]) > 0
    assert unit["Unit"]["OnFailure"] == "kiosk-out-of-service.service"
    assert "ExecStart" in service and service["ExecStart"].startswith("/usr/bin/cage ")


def test_the_agent_does_not_depend_on_the_ui():
    unit = read_unit(UNITS / "kiosk-agent.service")
    for key in ("BindsTo", "PartOf", "Requires", "Requisite"):
        assert "kiosk-ui" not in unit["Unit"].get(key, "")
    assert unit["Service"]["Restart"] == "always"
    assert unit["Service"]["User"] == "kiosk-agent"
    assert float(unit["Service"]["WatchdogSec"]) > 0
