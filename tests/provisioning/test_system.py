"""Units copied as they are and enabled by their own [Install] section."""

from __future__ import annotations

from pathlib import Path

import pytest

from provisioning.files import File, Link
from provisioning.system import unit_items
from tests.provisioning.conftest_units import fixture_units


def test_units_copied_and_enabled_by_their_wanted_by(tmp_path: Path) -> None:
    units = fixture_units(tmp_path / "units")
    items = unit_items(units, nightly=False)
    files = {i.path for i in items if isinstance(i, File)}
    links = {i.path: i.to for i in items if isinstance(i, Link)}
    assert "/etc/systemd/system/kiosk-out-of-service.service" in files  # copied ...
    assert not any("kiosk-out-of-service" in p for p in links)  # ... not enabled
    assert "/etc/pam.d/kiosk-ui" in files
    assert "/etc/systemd/system/kiosk-ui.service.d/10-site.conf" in files
    assert not any(p.endswith("README.md") for p in files)
    assert links["/etc/systemd/system/multi-user.target.wants/kiosk-ui.service"] == (
        "/etc/systemd/system/kiosk-ui.service")
    assert not any("nightly" in p for p in links)
    nightly = {i.path for i in unit_items(units, nightly=True) if isinstance(i, Link)}
    assert "/etc/systemd/system/timers.target.wants/kiosk-nightly-restart.timer" in nightly


def test_a_unit_the_terminal_enables_must_be_there(tmp_path: Path) -> None:
    units = fixture_units(tmp_path / "units")
    (units / "kiosk-agent.service").unlink()
    with pytest.raises(FileNotFoundError, match=r"kiosk-agent\.service"):
        unit_items(units, nightly=False)
