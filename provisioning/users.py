"""The kiosk's system users and groups, written into the root's /etc files directly.

Written directly (not with ``useradd --root``) so a bare root and a running machine are
handled the same way and a re-run is checkable line by line. The format is the one
useradd writes; tests check the result with ``pwck``/``grpck`` on a real Debian root.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from provisioning.files import Root

NOLOGIN = "/usr/sbin/nologin"
# Groups whose members may become root or read everything; the kiosk users are in none.
PRIVILEGED_GROUPS = ("sudo", "wheel", "admin", "adm", "root", "disk", "shadow", "staff")
SYSTEM_IDS = range(100, 1000)  # Debian's system account range (adduser.conf / login.defs)


@dataclass(frozen=True)
class User:
    name: str
    gecos: str
    home: str


@dataclass(frozen=True)
class Group:
    name: str
    members: tuple[str, ...] = ()


USERS = (User("kiosk", "Kiosk UI", "/var/lib/kiosk"),
         User("kiosk-agent", "Kiosk health agent", "/var/lib/kiosk-agent"))
# The groups the units of systemd/ rely on (systemd/README.md), and the device group the
# udev rules give the kiosk's serial devices: only the UI user is in it.
GROUPS = (Group("kiosk"), Group("kiosk-agent"), Group("kiosk-devices", ("kiosk",)),
          Group("video"), Group("render"), Group("input"), Group("audio"), Group("tty"),
          Group("systemd-journal"))


def _read(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [line.split(":") for line in path.read_text().splitlines() if line.strip()]


def _entry(rows: list[list[str]], name: str) -> list[str] | None:
    return next((row for row in rows if row[0] == name), None)


def check(root: Root) -> list[str]:
    diffs: list[str] = []
    passwd = _read(root / "/etc/passwd")
    group = _read(root / "/etc/group")
    shadow = _read(root / "/etc/shadow")
    for g in GROUPS:
        row = _entry(group, g.name)
        if row is None:
            diffs.append(f"group {g.name} missing")
            continue
        members = set(filter(None, row[3].split(","))) if len(row) > 3 else set()
        diffs += [f"group {g.name}: {m} is not a member" for m in g.members if m not in members]
    for u in USERS:
        row = _entry(passwd, u.name)
        if row is None:
            diffs.append(f"user {u.name} missing")
            continue
        own = _entry(group, u.name)
        if own is not None and row[3] != own[2]:
            diffs.append(f"user {u.name}: primary group {row[3]}, want {u.name} ({own[2]})")
        if row[6] != NOLOGIN:
            diffs.append(f"user {u.name}: shell {row[6]}, want {NOLOGIN}")
        if row[1] != "x":
            diffs.append(f"user {u.name}: password field in /etc/passwd, want x")
        srow = _entry(shadow, u.name)
        if srow is None:
            diffs.append(f"user {u.name}: no /etc/shadow entry")
        elif not srow[1].startswith(("!", "*")):
            diffs.append(f"user {u.name}: has a usable password, want locked")
        for name in PRIVILEGED_GROUPS:
            prow = _entry(group, name)
            if prow is not None and len(prow) > 3 and u.name in prow[3].split(","):
                diffs.append(f"user {u.name}: member of {name}, must not be")
        diffs += _sudoers(root, u.name)
    return diffs


def _sudoers(root: Root, user: str) -> list[str]:
    found = []
    files = [root / "/etc/sudoers", *sorted((root / "/etc/sudoers.d").glob("*"))]
    for path in files:
        if path.is_file() and any(line.split()[:1] == [user]
                                  for line in path.read_text(errors="replace").splitlines()):
            found.append(f"user {user}: named in {path}, must not be")
    return found


def _free_id(*tables: list[list[str]]) -> int:
    used = {int(row[2]) for table in tables for row in table if len(row) > 2
            and row[2].isdigit()}
    # Like `useradd --system`: the highest free id of the system range.
    return next(i for i in reversed(SYSTEM_IDS) if i not in used)


def _write(path: Path, rows: list[list[str]], mode: int, group: int) -> None:
    temp = path.with_name(f".{path.name}.provisioning")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("".join(":".join(row) + "\n" for row in rows))
        handle.flush()
        os.fsync(handle.fileno())
    os.chown(temp, 0, group)
    temp.chmod(mode)
    os.replace(temp, path)


def apply(root: Root) -> None:
    etc = root / "/etc"
    passwd, group = _read(etc / "passwd"), _read(etc / "group")
    shadow, gshadow = _read(etc / "shadow"), _read(etc / "gshadow")
    days = str(int(time.time() // 86400))
    for g in GROUPS:
        row = _entry(group, g.name)
        if row is None:
            row = [g.name, "x", str(_free_id(group)), ""]
            group.append(row)
        members = [m for m in row[3].split(",") if m] if len(row) > 3 else []
        row[3:] = [",".join(members + [m for m in g.members if m not in members])]
        grow = _entry(gshadow, g.name)
        if grow is None:
            gshadow.append([g.name, "!", "", row[3]])
        else:
            grow[3:] = [row[3]]
    for u in USERS:
        gid = _entry(group, u.name)[2]  # type: ignore[index]
        row = _entry(passwd, u.name)
        if row is None:
            uid = int(gid) if _free_uid_ok(passwd, int(gid)) else _free_id(passwd)
            passwd.append([u.name, "x", str(uid), gid, u.gecos, u.home, NOLOGIN])
        else:
            row[1], row[3], row[6] = "x", gid, NOLOGIN
        srow = _entry(shadow, u.name)
        if srow is None:
            shadow.append([u.name, "!", days, "", "", "", "", "", ""])
        elif not srow[1].startswith(("!", "*")):
            srow[1] = "!"
        for name in PRIVILEGED_GROUPS:
            for table in (group, gshadow):
                prow = _entry(table, name)
                if prow is not None and len(prow) > 3:
                    prow[3] = ",".join(m for m in prow[3].split(",") if m and m != u.name)
    shadow_gid = next((int(r[2]) for r in group if r[0] == "shadow"), 0)
    _write(etc / "group", group, 0o644, 0)
    _write(etc / "passwd", passwd, 0o644, 0)
    _write(etc / "shadow", shadow, 0o640, shadow_gid)
    if (etc / "gshadow").exists():
        _write(etc / "gshadow", gshadow, 0o640, shadow_gid)


def _free_uid_ok(passwd: list[list[str]], uid: int) -> bool:
    """The user's uid equals its group's gid when that uid is free (as useradd -U does)."""
    return all(row[2] != str(uid) for row in passwd if len(row) > 2)
