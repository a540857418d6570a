"""A real PostgreSQL (Debian's) in a temp dir, started and stopped by the test.

initdb + pg_ctl as the ``postgres`` user when we are root (PostgreSQL refuses to
run as root). No skip: if it cannot start, the test fails and says why.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.broker import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} not found: run `make setup` (Debian postgresql)")
    return found[-1]


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@dataclass
class Postgres:
    url: str
    data: Path

    def stop(self) -> None:
        subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(self.data), "-m", "fast",
                                     "-w", "stop"]), capture_output=True, timeout=60)


def start_postgres(folder: Path) -> Postgres:
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "pgdata"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        folder.chmod(0o755)
        for parent in folder.parents:  # postgres must be able to reach its directory
            if parent == Path("/"):
                break
            parent.chmod(parent.stat().st_mode | 0o005)
    run = subprocess.run(_as_postgres([_bin("initdb"), "-D", str(data), "-U", "postgres",
                                       "--auth=trust", "-E", "UTF8", "--no-sync"]),
                         capture_output=True, text=True, timeout=120)
    if run.returncode:
        raise RuntimeError(f"initdb failed: {run.stderr[-1500:]}")
    port = free_port()
    opts = f"-p {port} -h 127.0.0.1 -k {folder} -c fsync=off"
    run = subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-o", opts,
                                       "-l", str(folder / "pg.log"), "-w", "-t", "60", "start"]),
                         capture_output=True, text=True, timeout=90)
    if run.returncode:
        log = (folder / "pg.log").read_text()[-1500:] if (folder / "pg.log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {run.stderr[-800:]} {log}")
    pg = Postgres(f"postgresql://postgres@127.0.0.1:{port}/postgres", data)
    return pg
