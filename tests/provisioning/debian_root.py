"""A real Debian 12 root (debootstrap minbase + python3-venv), built once and cached under
var/cache/provisioning/, and the app's wheels for installing it there without a compiler.

The first build takes about two minutes (debootstrap) plus two (the wheels); later runs
copy the cache. A lock keeps two test runs from building it at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / "var" / "cache" / "provisioning"
ROOT = CACHE / "bookworm-python"

# The wheels follow pyproject.toml: a new dependency makes a new wheelhouse.
_DEPS = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()[:12]
WHEELHOUSE = CACHE / f"wheelhouse-{_DEPS}"


def _locked_build(done: Path, build) -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            build()
            done.touch()


def debian_root() -> Path:
    if os.geteuid() != 0 or not shutil.which("debootstrap"):
        pytest.skip("a real Debian root needs root and debootstrap")

    def build() -> None:
        shutil.rmtree(ROOT, ignore_errors=True)
        subprocess.run(["debootstrap", "--variant=minbase", "--include=python3,python3-venv",
                        "bookworm", str(ROOT), "http://deb.debian.org/debian"],
                       check=True, capture_output=True)

    _locked_build(CACHE / ".root-built", build)
    return ROOT


PACKAGED = CACHE / "bookworm-packaged"


def packaged_root() -> Path:
    """The Debian root with the terminal's packages, installed by provisioning's own
    Debian packages step (apt-get in a chroot, from deb.debian.org: about 90 s)."""
    from provisioning import install
    from provisioning.files import Root

    base = debian_root()

    def build() -> None:
        shutil.rmtree(PACKAGED, ignore_errors=True)
        subprocess.run(["cp", "-a", str(base), str(PACKAGED)], check=True)
        install.packages_apply(Root(PACKAGED))

    _locked_build(CACHE / ".packaged-built", build)
    return PACKAGED


def wheelhouse() -> Path:
    def build() -> None:
        shutil.rmtree(WHEELHOUSE, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "-w", str(WHEELHOUSE),
                        str(REPO)], check=True, capture_output=True)

    _locked_build(CACHE / f".wheels-built-{_DEPS}", build)
    return WHEELHOUSE


def copy_root(source: Path, target: Path) -> Path:
    """A private copy (hard links: every write provisioning does is a rename)."""
    subprocess.run(["cp", "-al", str(source), str(target)], check=True)
    return target
