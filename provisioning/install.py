"""Debian packages and the application release, inside the root (chroot when --root).

A release is /opt/kiosk/releases/<version>/ with its own venv; /opt/kiosk/current is a
symlink to the active one. The update issue's A/B switch renames that link.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from contextlib import contextmanager
from pathlib import Path

from provisioning.files import Link, Root

# What a terminal runs (systemd/README.md's run-time list, plus the app's own needs).
# xwayland: Debian's cage refuses to start without it ("Cannot create XWayland server").
PACKAGES = ("systemd", "systemd-sysv", "dbus", "libpam-systemd", "udev", "cage", "xwayland",
            "python3", "python3-venv", "ca-certificates", "pcscd", "libpcsclite1",
            "fonts-wqy-microhei", "espeak-ng", "libgl1", "libegl1", "libegl-mesa0",
            "libgl1-mesa-dri", "libmtdev1")
RELEASES = "/opt/kiosk/releases"
CURRENT = "/opt/kiosk/current"
PROJECT = "selfservice-kiosk"


def project_version(source: Path) -> str:
    return tomllib.loads((source / "pyproject.toml").read_text())["project"]["version"]


def missing_packages(root: Root) -> list[str]:
    admin = root / "/var/lib/dpkg"
    out = subprocess.run(["dpkg-query", f"--admindir={admin}", "-W", "-f",
                          "${Package} ${db:Status-Status}\n", *PACKAGES],
                         capture_output=True, text=True)
    installed = {line.split()[0] for line in out.stdout.splitlines()
                 if line.endswith(" installed")}
    return [p for p in PACKAGES if p not in installed]


def packages_check(root: Root) -> list[str]:
    missing = missing_packages(root)
    return [f"Debian packages not installed: {' '.join(missing)}"] if missing else []


def _checked(argv: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"{' '.join(argv[:5])} ... exited {result.returncode}: "
                           + " | ".join(tail))


def _in_root(root: Root, argv: list[str], env: dict[str, str] | None = None) -> None:
    _checked(argv if root.is_host else ["chroot", str(root.path), *argv], env)


@contextmanager
def _chroot_mounts(root: Root):
    """/proc, /sys, /dev and DNS for apt inside a root; services never start there."""
    if root.is_host:
        yield
        return
    mounted: list[Path] = []
    policy = root / "/usr/sbin/policy-rc.d"
    resolv = root / "/etc/resolv.conf"
    kept = resolv.read_bytes() if resolv.is_file() and not resolv.is_symlink() else None
    kept_mode = resolv.stat().st_mode & 0o7777 if kept is not None else 0o644
    try:
        for fs in ("/proc", "/sys", "/dev"):
            (root / fs).mkdir(exist_ok=True)
            subprocess.run(["mount", "--bind", fs, str(root / fs)], check=True)
            mounted.append(root / fs)
        _replace(resolv, Path("/etc/resolv.conf").read_bytes(), 0o644)
        _replace(policy, b"#!/bin/sh\nexit 101\n", 0o755)
        yield
    finally:
        policy.unlink(missing_ok=True)
        if kept is not None:
            _replace(resolv, kept, kept_mode)  # the root's own resolver setting comes back
        for path in reversed(mounted):
            subprocess.run(["umount", "--lazy", str(path)], check=False)


def _replace(path: Path, content: bytes, mode: int) -> None:
    """Write beside and rename over: never through a file another root may share."""
    temp = path.with_name(f".{path.name}.provisioning")
    temp.write_bytes(content)
    temp.chmod(mode)
    os.replace(temp, path)


def packages_apply(root: Root) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with _chroot_mounts(root):
        _in_root(root, ["apt-get", "update", "-q"], env=env)
        _in_root(root, ["apt-get", "install", "-y", "-q", "--no-install-recommends",
                        *missing_packages(root)], env=env)


def release_dir(version: str) -> str:
    return f"{RELEASES}/{version}"


def release_check(root: Root, version: str) -> list[str]:
    marker = root / f"{release_dir(version)}/release.json"
    try:
        found = json.loads(marker.read_text()).get("version")
    except (OSError, ValueError):
        found = None
    diffs = [] if found == version else [f"{marker}: release {version} not installed"]
    if not (root / f"{release_dir(version)}/venv/bin/python").exists():
        diffs.append(f"{root / release_dir(version)}/venv: missing")
    return diffs + Link(CURRENT, f"releases/{version}").check(root)


def release_apply(root: Root, version: str, source: Path, units: Path,
                  wheelhouse: Path | None) -> None:
    """Build the project's wheel here, install it into a fresh venv in the root; keep a
    copy of the config example and the units in <release>/config and /systemd."""
    rel = release_dir(version)
    target = root / rel
    if not (root / f"{rel}/venv/bin/python").exists() or release_check(root, version)[:1]:
        staging = root / f"{rel}/wheels"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        with tempfile.TemporaryDirectory() as built:
            _checked([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", built,
                      str(source)])
            wheel = next(Path(built).glob("*.whl"))
            shutil.copy(wheel, staging / wheel.name)
        if wheelhouse:
            for dep in wheelhouse.glob("*.whl"):
                if not dep.name.startswith("selfservice_kiosk-"):
                    shutil.copy(dep, staging / dep.name)
        pip_from = (["--no-index", "--find-links", f"{rel}/wheels"] if wheelhouse else [])
        shutil.rmtree(target / "venv", ignore_errors=True)  # a half-made venv is redone
        with _chroot_mounts(root):
            _in_root(root, ["python3", "-m", "venv", f"{rel}/venv"])
            _in_root(root, [f"{rel}/venv/bin/pip", "install", "-q", "--no-cache-dir",
                            *pip_from, f"{rel}/wheels/{wheel.name}"])
        for dep in staging.glob("*.whl"):
            if dep.name != wheel.name:
                dep.unlink()  # the release keeps its own wheel only
        # The example and the units beside the venv: what `provisioning check` compares a
        # terminal with, and the units' Documentation= (<release>/systemd/README.md).
        for folder in ("config", "systemd"):
            shutil.rmtree(target / folder, ignore_errors=True)
        (target / "config").mkdir()
        shutil.copy(source / "config" / "kiosk.toml", target / "config" / "kiosk.toml")
        if units.is_dir():
            shutil.copytree(units, target / "systemd")
        (target / "release.json").write_text(json.dumps(
            {"version": version, "wheel": wheel.name}) + "\n")
    Link(CURRENT, f"releases/{version}").apply(root)
