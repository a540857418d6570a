"""Enroll into a Debian root whose packages provisioning's own apt step installed (cage,
systemd, udev ...), without --skip-packages; the root's own systemctl and systemd-analyze
then read what was written: the units enabled, tty1's getty and sleep masked, the
journald and logind drop-ins in effect."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from provisioning import install
from provisioning.files import Root
from tests.provisioning.debian_root import copy_root, packaged_root
from tests.provisioning.enrolling import enroll_args, run, units_dir

pytestmark = pytest.mark.timeout(900)


def in_root(root: Path, *argv: str) -> str:
    result = subprocess.run(["chroot", str(root), *argv], capture_output=True, text=True)
    return (result.stdout + result.stderr).strip()


@pytest.fixture
def packaged_and_enrolled(enrolled, console, tmp_path: Path) -> tuple[Path, str]:
    root = copy_root(packaged_root(), tmp_path / "root")
    assert (root / "etc/systemd/system/getty.target.wants/getty@tty1.service").is_symlink()
    # the release the session's enrollment installed for real: not installed twice
    subprocess.run(["cp", "-a", str(enrolled["root"] / "opt"), str(root)], check=True)
    args = [a for a in enroll_args(root, console, console.token_file(
        "SZFT-0042", tmp_path / "token"), units_dir(tmp_path)) if a != "--skip-packages"]
    code, out = run(*args)
    assert code == 0, out
    return root, out


def test_the_packages_step_installed_every_package() -> None:
    root = Root(packaged_root())
    assert install.missing_packages(root) == []
    assert (root / "/usr/bin/cage").exists()


def test_the_roots_own_systemd_sees_the_units_enabled_and_tty1_masked(
        packaged_and_enrolled) -> None:
    root, out = packaged_and_enrolled
    assert "[1/11] Debian packages: already right, unchanged" in out
    for unit in ("kiosk-ui.service", "kiosk-agent.service", "kiosk-ui-restart.path",
                 "kiosk-reboot.path"):
        assert in_root(root, "systemctl", "is-enabled", unit) == "enabled", unit
    assert in_root(root, "systemctl", "is-enabled", "kiosk-nightly-restart.timer") == "disabled"
    assert in_root(root, "systemctl", "is-enabled", "getty@tty1.service") == "masked"
    assert in_root(root, "systemctl", "is-enabled", "suspend.target") == "masked"
    assert not (root / "etc/systemd/system/getty.target.wants/getty@tty1.service").exists()


def test_the_journald_and_logind_drop_ins_are_where_systemd_reads_them(
        packaged_and_enrolled) -> None:
    root, _ = packaged_and_enrolled
    journald = in_root(root, "systemd-analyze", "cat-config", "systemd/journald.conf")
    assert "# /etc/systemd/journald.conf.d/kiosk.conf" in journald
    assert "Storage=persistent" in journald and "SystemMaxUse=200M" in journald
    logind = in_root(root, "systemd-analyze", "cat-config", "systemd/logind.conf")
    assert "# /etc/systemd/logind.conf.d/kiosk.conf" in logind and "NAutoVTs=0" in logind
    # groups systemd and udev made are reused, not made twice
    groups = [line.split(":")[0] for line in (root / "etc/group").read_text().splitlines()]
    assert len(groups) == len(set(groups))
    assert in_root(root, "grpck", "-r").endswith("no changes") or in_root(
        root, "grpck", "-r") == ""
    code, report = run("check", "--root", str(root))
    assert code == 0, report


def test_udevs_own_parser_reads_the_rules_without_an_error(packaged_and_enrolled) -> None:
    """Debian 12's udevadm has no `verify`; `udevadm test` parses every rules file with
    udev's own parser and names each bad line ("FILE:LINE Invalid key 'X'")."""
    root, _ = packaged_and_enrolled
    mounted = []
    try:
        for fs in ("sys", "dev"):
            subprocess.run(["mount", "--bind", f"/{fs}", str(root / fs)], check=True)
            mounted.append(root / fs)
        out = in_root(root, "udevadm", "test", "/sys/class/tty/tty0")
    finally:
        for path in mounted:
            subprocess.run(["umount", "--lazy", str(path)], check=False)
    rules = "/etc/udev/rules.d/70-kiosk-devices.rules"
    assert f"Reading rules file: {rules}" in out
    assert [line for line in out.splitlines() if line.startswith(f"{rules}:")] == []
