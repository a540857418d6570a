"""Where releases live on a terminal (or under a test's --root) and the atomic switch.

/opt/kiosk/releases/<version>/   one release: venv/, config/, systemd/, release.json
/opt/kiosk/current  -> releases/<version>   what the units run (WorkingDirectory, ExecStart)
/opt/kiosk/previous -> releases/<version>   the other slot: where a rollback goes
/var/lib/kiosk-update/           pending.json, last.json, downloads/ (root only)
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from updates.records import fsync_dir

# A release version is the wheel's (a PEP 440 subset, normalised) and names a directory:
# no slashes, no "..", nothing a shell would mangle.
VERSION = re.compile(r"^[0-9]+(\.[0-9]+){0,3}((a|b|rc)[0-9]+)?(\.post[0-9]+)?(\.dev[0-9]+)?"
                     r"(\+[a-z0-9]+(\.[a-z0-9]+)*)?$")


def valid_version(text: str) -> bool:
    return len(text) <= 64 and bool(VERSION.match(text))


@dataclass(frozen=True)
class Layout:
    root: Path = Path("/")

    def _at(self, inside: str) -> Path:
        return self.root / inside.lstrip("/")

    @property
    def releases(self) -> Path:
        return self._at("/opt/kiosk/releases")

    @property
    def current(self) -> Path:
        return self._at("/opt/kiosk/current")

    @property
    def previous(self) -> Path:
        return self._at("/opt/kiosk/previous")

    @property
    def state(self) -> Path:
        return self._at("/var/lib/kiosk-update")

    @property
    def pending_file(self) -> Path:
        return self.state / "pending.json"

    @property
    def outcome_file(self) -> Path:
        return self.state / "last.json"

    @property
    def downloads(self) -> Path:
        return self.state / "downloads"

    def release(self, version: str) -> Path:
        if not valid_version(version):
            raise ValueError(f"not a release version: {version!r}")
        return self.releases / version

    def staging(self, version: str) -> Path:
        """Where a release is unpacked and built before it becomes a release at all."""
        return self.releases / f".{version}.partial"

    def slot(self, link: Path) -> str | None:
        """The version a slot link names, or None when it is missing or points elsewhere."""
        try:
            target = os.readlink(link)
        except OSError:
            return None
        name = Path(target).name
        return name if target == f"releases/{name}" and valid_version(name) else None

    def installed(self, version: str) -> bool:
        marker = self.release(version) / "release.json"
        try:
            return json.loads(marker.read_text()).get("version") == version
        except (OSError, ValueError):
            return False


def point(link: Path, version: str) -> None:
    """Make ``link`` name releases/<version> in one rename, durable once this returns."""
    temp = link.with_name(f".{link.name}.new")
    temp.unlink(missing_ok=True)
    os.symlink(f"releases/{version}", temp)
    os.replace(temp, link)
    fsync_dir(link.parent)


def switch(layout: Layout, version: str) -> str:
    """current -> version, previous -> what current was; returns that previous version.

    Order matters for a power cut: ``previous`` is set first, so whichever rename was
    the last to reach the disk, both links name a complete release.
    """
    old = layout.slot(layout.current)
    if old is None:
        raise RuntimeError(f"{layout.current} does not name a release: nothing to update from")
    if old != version:
        point(layout.previous, old)
        point(layout.current, version)
    return old


def roll_back(layout: Layout) -> str:
    """current -> previous. previous is left as it was: it still names the good slot."""
    good = layout.slot(layout.previous)
    if good is None or not layout.installed(good):
        raise RuntimeError("no previous release to roll back to")
    point(layout.current, good)
    return good


def prune(layout: Layout) -> list[str]:
    """Remove every release but the two slots, and any half-made staging directory."""
    keep = {layout.slot(layout.current), layout.slot(layout.previous)}
    removed = []
    if not layout.releases.is_dir():
        return removed
    for entry in layout.releases.iterdir():
        if entry.name.startswith(".") or entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed
