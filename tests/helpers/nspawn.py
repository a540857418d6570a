"""A Debian root booted by real systemd under systemd-nspawn, for the systemd tests.

The root is built once with debootstrap and cached under ``var/nspawn/``; its name
carries a hash of the package list, so a changed list builds a new one. A lock file
keeps two parallel runs from building it twice. Each test boots a throw-away copy
(``cp --reflink=auto -a``) with the checkout and the venv bind-mounted read-only.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

SUITE = "bookworm"
MIRROR = "http://deb.debian.org/debian"
# systemd and D-Bus to boot; the shared libraries the bind-mounted pyenv Python and
# Kivy's SDL2 (offscreen OpenGL through Mesa) load; a CJK font for the screens.
PACKAGES = (
    "systemd", "systemd-sysv", "dbus", "libpam-systemd", "cage",
    "libssl3", "libsqlite3-0", "libffi8", "libbz2-1.0", "liblzma5", "zlib1g",
    "libncursesw6", "libreadline8", "libuuid1", "libgdbm6", "libexpat1", "libtirpc3",
    "libgl1", "libegl1", "libegl-mesa0", "libgl1-mesa-dri", "libmtdev1",
    "fonts-wqy-microhei",
)
REPO = Path(__file__).resolve().parents[2]


def cache_dir() -> Path:
    return Path(os.environ.get("KIOSK_NSPAWN_CACHE", REPO / "var" / "nspawn"))


def root_key() -> str:
    spec = " ".join([SUITE, MIRROR, *sorted(PACKAGES)])
    return hashlib.sha256(spec.encode()).hexdigest()[:12]


def missing_tools() -> list[str]:
    return [t for t in ("debootstrap", "systemd-nspawn", "systemd-analyze")
            if shutil.which(t) is None]


def debian_root(log=print) -> Path:
    """The cached root, built first if there is none (about two minutes)."""
    base = cache_dir()
    base.mkdir(parents=True, exist_ok=True)
    root = base / f"{SUITE}-{root_key()}"
    if (root / ".complete").exists():
        return root
    with open(base / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another run may be building it: wait for it
        if (root / ".complete").exists():
            return root
        building = base / f".{root.name}.building"
        shutil.rmtree(building, ignore_errors=True)
        started = time.monotonic()
        log(f"nspawn: building the Debian root {root} (cached afterwards)")
        subprocess.run(
            ["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}",
             SUITE, str(building), MIRROR],
            check=True, stdout=subprocess.DEVNULL,
        )
        # No getty on the container's console: the test reads its own files instead.
        (building / "etc/systemd/system/getty.target.wants").mkdir(parents=True, exist_ok=True)
        for apt_cache in (building / "var/cache/apt/archives").glob("*.deb"):
            apt_cache.unlink()
        (building / ".complete").write_text(f"{root_key()} {time.time():.0f}\n")
        building.rename(root)
        log(f"nspawn: root built in {time.monotonic() - started:.0f} s")
    return root


if __name__ == "__main__":
    print(debian_root())
