"""Install a verified bundle beside the running release and switch to it.

Each step is named; ``KIOSK_UPDATE_CUT_AT=<step>`` (tests only) kills this process with
SIGKILL as it enters that step, as a power cut would. Whatever step is cut, ``current``
still names a complete release: a release directory only gets its name once it is
whole (staging, then rename), and the links change by rename (layout.point).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from updates import bundle
from updates.layout import Layout, prune, switch
from updates.records import Pending, fsync_dir, load, save

STEPS = ("verify", "unpack", "venv", "seal", "baseline", "pending", "switch", "restart")
CUT_ENV = "KIOSK_UPDATE_CUT_AT"
DEFAULT_DEADLINE_S = 600.0

Progress = Callable[[str, dict], None]
Baseline = Callable[[], dict[str, bool]]


def _enter(step: str, progress: Progress, **detail: object) -> None:
    if os.environ.get(CUT_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)
    progress(step, dict(detail))


def _quiet(_step: str, _detail: dict) -> None:
    pass


def run_in_root(layout: Layout, argv: list[str]) -> None:
    """Run a command of the target root: chrooted into a real root, or, for a root with
    no Python of its own (a development tree), on this machine with root-prefixed paths."""
    own_python = (layout.root / "usr/bin/python3").exists()
    if layout.root != Path("/") and own_python:
        inside = [a.replace(str(layout.root), "", 1) if a.startswith(str(layout.root)) else a
                  for a in argv]
        argv = ["chroot", str(layout.root), *inside]
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise bundle.Refused(f"{Path(argv[0]).name} {' '.join(argv[1:4])}: "
                             + " | ".join(tail))


def clone_venv(source: Path, target: Path) -> None:
    """Copy a venv with hard links: both slots share the files neither changes (pip
    replaces a file by unlinking it, never by writing into it)."""
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    shutil.copytree(source, target, symlinks=True, copy_function=link)


def install(layout: Layout, bundle_path: Path, cert: Path, *,
            baseline: Baseline = dict, restart: Callable[[], None] | None = None,
            deadline_s: float = DEFAULT_DEADLINE_S, progress: Progress = _quiet) -> Pending:
    """Verify, unpack, build and switch to the bundle's release; returns the pending
    record the gate will judge. Raises bundle.Refused with a one-line reason."""
    if load(layout.pending_file, Pending) is not None:
        raise bundle.Refused("an update is already pending: let its gate finish first")
    _enter("verify", progress)
    manifest = bundle.verify(bundle_path, cert)
    running = layout.slot(layout.current)
    if running is None:
        raise bundle.Refused(f"{layout.current} names no release: provision this terminal")
    if manifest.version == running:
        raise bundle.Refused(f"release {running} is already running")
    prune(layout)  # half-made staging of a cut install, releases older than both slots
    target = layout.release(manifest.version)
    if target.exists():
        shutil.rmtree(target)  # a release that is neither slot: made again from the bundle
    staging = layout.staging(manifest.version)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)

    _enter("unpack", progress, version=manifest.version)
    bundle.unpack(bundle_path, manifest, staging)

    _enter("venv", progress)
    clone_venv(layout.release(running) / "venv", staging / "venv")
    python = str(staging / "venv/bin/python")
    wheels = str(staging / "wheels")
    run_in_root(layout, [python, "-m", "pip", "install", "-q", "--no-index",
                         "--disable-pip-version-check", "--no-cache-dir", "--find-links", wheels,
                         "--force-reinstall", "--no-deps", f"{wheels}/{manifest.wheel}"])
    others = sorted(p.name for p in (staging / "wheels").glob("*.whl") if p.name != manifest.wheel)
    if others:
        run_in_root(layout, [python, "-m", "pip", "install", "-q", "--no-index",
                             "--disable-pip-version-check", "--no-cache-dir",
                             "--find-links", wheels, *[f"{wheels}/{n}" for n in others]])
    run_in_root(layout, [python, "-m", "pip", "check", "--disable-pip-version-check"])

    _enter("seal", progress)
    (staging / "release.json").write_text(json.dumps(
        {"version": manifest.version, "wheel": manifest.wheel, "installed_at": time.time()}) + "\n")
    fsync_dir(staging)
    os.rename(staging, target)
    fsync_dir(layout.releases)

    _enter("baseline", progress)
    devices = baseline()  # the old release's self-test, just before the switch

    _enter("pending", progress)
    pending = Pending(version=manifest.version, previous=running, switched_at=time.time(),
                      deadline_s=deadline_s, baseline=devices)
    save(layout.pending_file, pending)

    _enter("switch", progress, slot=manifest.version, previous=running)
    switch(layout, manifest.version)

    _enter("restart", progress)
    if restart is not None:
        restart()
    return pending
