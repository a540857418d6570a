"""Run the real ``python -m drivers`` and ``python -m drivers.sim`` as subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]  # tests/helpers/ -> the repository
TIMEOUT = 30  # a loaded 2-core box starting Python


def run_cli(*args: str) -> tuple[int, dict[str, Any], str]:
    """(exit code, the JSON on stdout, stderr) of one ``python -m drivers`` command."""
    proc = subprocess.run(
        [sys.executable, "-m", "drivers", *args], cwd=REPO, capture_output=True, text=True,
        timeout=TIMEOUT, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    return proc.returncode, json.loads(proc.stdout), proc.stderr


class SimProcess:
    """A ``python -m drivers.sim`` child: its port, its stdin, its stderr lines."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.port = ""
        self._lines: list[str] = []
        self._cond = threading.Condition()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._cond:
                self._lines.append(line)
                self._cond.notify_all()

    def type(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def wait_stderr(self, text: str, timeout: float = TIMEOUT) -> None:
        with self._cond:
            found = self._cond.wait_for(lambda: any(text in x for x in self._lines), timeout)
            assert found, f"simulator never said {text!r}; said {self._lines}"


@contextmanager
def sim_process(*args: str) -> Iterator[SimProcess]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "drivers.sim", *args], cwd=REPO, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    sim = SimProcess(proc)
    try:
        assert proc.stdout is not None
        sim.port = proc.stdout.readline().strip()  # blocks until the simulator is up
        assert sim.port, "the simulator printed no port"
        yield sim
    finally:
        proc.terminate()
        try:
            proc.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
