"""Running `python -m provisioning` in tests: arguments, output, tree snapshots."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from contextlib import redirect_stdout
from pathlib import Path

from provisioning.__main__ import SOURCE, main
from tests.provisioning.conftest_units import fixture_units

VERSION = "0.1.0"
SKIP = {"proc", "sys", "dev", "run", "tmp"}


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path with its type, mode, owner and content hash (a venv counts as one)."""
    seen: dict[str, tuple] = {}
    for top, dirs, files in os.walk(root):
        rel_top = os.path.relpath(top, root)
        if rel_top == ".":
            dirs[:] = [d for d in dirs if d not in SKIP]
        if rel_top.endswith("/venv"):
            dirs[:] = []
            continue
        for name in dirs + files:
            path = Path(top, name)
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                body = os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                body = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                body = ""
            seen["/" + os.path.relpath(path, root)] = (
                stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), info.st_uid,
                info.st_gid, body)
    return seen


def changed(before: dict, after: dict) -> set[str]:
    return {p for p in after if before.get(p) != after[p]} | (before.keys() - after.keys())


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


def units_dir(tmp: Path) -> Path:
    real = SOURCE / "systemd"
    return real if (real / "kiosk-ui.service").is_file() else fixture_units(tmp / "units")


def enroll_args(root: Path, console, token: Path, units: Path, *extra: str) -> list[str]:
    return ["enroll", "--terminal-id", "SZFT-0042", "--site", "futian-hall",
            "--broker", "mqtt.example.gov.cn:8883", "--console", console.url,
            "--root", str(root), "--token-file", str(token), "--units", str(units),
            "--device", "idcard=10c4:ea60:ID0001", "--device", "printer=0416:5011:PR-7",
            "--device", "queue=1a86:7523:Q.3", "--skip-packages", *extra]


def passwd_of(fleet: Path) -> str:
    """The broker's terminal logins: DIR/broker/passwd once fleet/provision.py splits its
    folder (``broker_dir``), DIR/passwd before."""
    from fleet import provision

    broker_dir = getattr(provision, "broker_dir", None)
    return ((broker_dir(fleet) if broker_dir else fleet) / "passwd").read_text()
