"""The demo back end as a real subprocess (``python -m backend``) on a free loopback port.

The back end binds port 0 and prints ``backend: listening on http://HOST:PORT`` once the socket
is open, so there is no free-port race and no polling: we read that line, with a deadline.
Its stderr goes to ``<folder>/backend.log`` (tests may check it carries nothing personal).

    url, proc = start_backend(tmp_path)
    try: ...
    finally: stop(proc)
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
READY_PREFIX = "backend: listening on "
LOG_NAME = "backend.log"


def start_backend(
    folder: Path, *, timeout: float = 15.0, extra_args: tuple[str, ...] = ()
) -> tuple[str, subprocess.Popen]:
    """Start a back end with its database in ``folder``; its base URL and its process."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "backend", "--host", "127.0.0.1", "--port", "0",
           "--db", str(folder / "backend.sqlite"), *extra_args]
    with open(folder / LOG_NAME, "wb") as log:  # the child keeps its own handle
        proc = subprocess.Popen(
            cmd, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        url = _read_ready_line(proc, timeout, folder / LOG_NAME)
    except BaseException:
        stop(proc)
        raise
    # Keep reading stdout so the child can never block on a full pipe.
    threading.Thread(target=_drain, args=(proc.stdout,), name="backend-stdout", daemon=True).start()
    return url, proc


def stop(proc: subprocess.Popen, timeout: float = 5.0) -> int:
    """SIGTERM, then SIGKILL if it lingers; always reaps the process. Its exit code."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()  # the drain thread has seen EOF by now: the process is gone
    return proc.returncode


def _drain(stream) -> None:
    try:
        while stream.read(65536):
            pass
    except (OSError, ValueError):  # closed under us during stop(): nothing left to read
        pass


def _read_ready_line(proc: subprocess.Popen, timeout: float, log_path: Path) -> str:
    fd = proc.stdout.fileno()
    buf = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"backend not ready in {timeout} s; log: {_tail(log_path)}")
            if not sel.select(left):
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                proc.wait(timeout=5)
                raise RuntimeError(f"backend exited ({proc.returncode}): {_tail(log_path)}")
            buf += chunk
    line = buf.split(b"\n", 1)[0].decode()
    if not line.startswith(READY_PREFIX):
        raise RuntimeError(f"unexpected first line from backend: {line!r}")
    return line.removeprefix(READY_PREFIX).strip()


def _tail(path: Path, size: int = 1500) -> str:
    try:
        return path.read_text(errors="replace")[-size:]
    except OSError:
        return "(no log)"
