"""A real PostgreSQL (Debian's) in a temp dir, started and stopped by the test.

initdb + pg_ctl as the ``postgres`` user when we are root (PostgreSQL refuses to
run as root). No skip: if it cannot start, the test fails and says why.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
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
        shutil.rmtree(self.data.parent, ignore_errors=True)


def start_postgres() -> Postgres:
    # Its own directory straight under /tmp: user postgres can reach it there, where
    # pytest's 0700 temp tree would need its permissions widened.
    folder = Path(tempfile.mkdtemp(prefix="fleet-pg-"))
    data = folder / "pgdata"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
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
