"""Files, directories and symlinks inside a target root, checked and written by name.

Owners are named (``kiosk``, ``root``) and resolved in the root's own /etc/passwd and
/etc/group, never the host's: a root under --root has its own ids.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path


class Root:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def __truediv__(self, inside: str) -> Path:
        return self.path / inside.lstrip("/")

    def _ids(self, table: str) -> dict[str, int]:
        try:
            lines = (self / f"/etc/{table}").read_text().splitlines()
        except FileNotFoundError:
            lines = []
        ids = {"root": 0}
        for line in lines:
            fields = line.split(":")
            if len(fields) >= 3 and fields[2].isdigit():
                ids[fields[0]] = int(fields[2])
        return ids

    def uid(self, name: str) -> int | None:
        return self._ids("passwd").get(name)

    def gid(self, name: str) -> int | None:
        return self._ids("group").get(name)

    @property
    def is_host(self) -> bool:
        return self.path.resolve() == Path("/")


def _owner_diffs(root: Root, target: Path, owner: str, group: str, mode: int) -> list[str]:
    info = target.lstat()
    diffs = []
    if stat.S_IMODE(info.st_mode) != mode:
        diffs.append(f"{target}: mode {stat.S_IMODE(info.st_mode):04o}, want {mode:04o}")
    uid, gid = root.uid(owner), root.gid(group)
    if uid is None or gid is None:
        diffs.append(f"{target}: owner {owner}:{group} does not exist yet")
    elif (info.st_uid, info.st_gid) != (uid, gid):
        diffs.append(f"{target}: owner {info.st_uid}:{info.st_gid}, want {owner}:{group} "
                     f"({uid}:{gid})")
    return diffs


def _set_owner(root: Root, target: Path, owner: str, group: str, mode: int) -> None:
    uid, gid = root.uid(owner), root.gid(group)
    if uid is None or gid is None:
        raise RuntimeError(f"{target}: owner {owner}:{group} does not exist in {root.path}")
    os.chown(target, uid, gid, follow_symlinks=False)
    target.chmod(mode)


@dataclass
class Dir:
    path: str
    mode: int = 0o755
    owner: str = "root"
    group: str = "root"

    def check(self, root: Root) -> list[str]:
        target = root / self.path
        if not target.is_dir() or target.is_symlink():
            return [f"{target}: directory missing"]
        return _owner_diffs(root, target, self.owner, self.group, self.mode)

    def apply(self, root: Root) -> None:
        target = root / self.path
        target.mkdir(parents=True, exist_ok=True)
        _set_owner(root, target, self.owner, self.group, self.mode)


@dataclass
class File:
    path: str
    content: bytes
    mode: int = 0o644
    owner: str = "root"
    group: str = "root"

    def check(self, root: Root) -> list[str]:
        target = root / self.path
        if target.is_symlink() or not target.is_file():
            return [f"{target}: missing"]
        diffs = [] if target.read_bytes() == self.content else [f"{target}: content differs"]
        return diffs + _owner_diffs(root, target, self.owner, self.group, self.mode)

    def apply(self, root: Root) -> None:
        target = root / self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed over, so a power cut never leaves half a file;
        # the mode is set before any content lands (secrets are never readable).
        temp = target.with_name(f".{target.name}.provisioning")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(self.content)
            handle.flush()
            os.fsync(handle.fileno())
        _set_owner(root, temp, self.owner, self.group, self.mode)
        os.replace(temp, target)


@dataclass
class Link:
    path: str
    to: str  # the symlink's text, as the booted machine reads it

    def check(self, root: Root) -> list[str]:
        target = root / self.path
        if not target.is_symlink():
            return [f"{target}: symlink missing"]
        found = os.readlink(target)
        return [] if found == self.to else [f"{target}: points to {found}, want {self.to}"]

    def apply(self, root: Root) -> None:
        target = root / self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.provisioning")
        if temp.is_symlink() or temp.exists():
            temp.unlink()
        temp.symlink_to(self.to)
        os.replace(temp, target)  # atomic: the link is never absent


@dataclass
class Absent:
    path: str

    def check(self, root: Root) -> list[str]:
        target = root / self.path
        return [f"{target}: present, should not be"] if os.path.lexists(target) else []

    def apply(self, root: Root) -> None:
        (root / self.path).unlink()


Item = Dir | File | Link | Absent


def check_items(root: Root, items: list[Item]) -> list[str]:
    return [diff for item in items for diff in item.check(root)]


def apply_items(root: Root, items: list[Item]) -> None:
    for item in items:
        if item.check(root):
            item.apply(root)
