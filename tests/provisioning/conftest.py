"""A fleet (CA, broker passwd, fleet key) and its enrollment endpoint on a free port; a real
Debian root, and one enrollment into a copy of it with the app installed for real (once
per test session: the tests that need an enrolled root copy it)."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from fleet import enroll, provision
from tests.helpers.broker import free_port
from tests.provisioning.debian_root import copy_root, debian_root, wheelhouse
from tests.provisioning.enrolling import enroll_args, run, snapshot, units_dir


class Console:
    def __init__(self, folder: Path, url: str) -> None:
        self.folder = folder
        self.url = url

    def token_file(self, terminal_id: str, where: Path) -> Path:
        where.write_text(enroll.issue_token(self.folder, terminal_id) + "\n")
        return where


@contextmanager
def running_console(folder: Path):
    provision.init(folder, 8883, ["localhost", "127.0.0.1"])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(enroll.create_app(folder), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "enrollment endpoint did not start"
        time.sleep(0.05)
    try:
        yield Console(folder, f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def console(tmp_path: Path):
    with running_console(tmp_path / "fleet") as running:
        yield running


@pytest.fixture(scope="session")
def base() -> Path:
    return debian_root()


@pytest.fixture(scope="session")
def enrolled(base: Path, tmp_path_factory):
    """One real enrollment: the app installed from wheels into the root's own venv."""
    tmp = tmp_path_factory.mktemp("enrolled")
    root = copy_root(base, tmp / "root")
    before = snapshot(root)
    with running_console(tmp / "fleet") as console:
        yield _enroll_once(root, before, console, tmp)


def _enroll_once(root: Path, before: dict, console, tmp: Path) -> dict:
    units = units_dir(tmp)
    args = enroll_args(root, console, console.token_file("SZFT-0042", tmp / "token"), units,
                       "--wheelhouse", str(wheelhouse()))
    code, out = run(*args)
    return {"root": root, "before": before, "code": code, "out": out, "args": args,
            "console": console, "units": units, "tmp": tmp}
