"""A fleet (CA, broker passwd, fleet key) and its enrollment endpoint on a free port."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from fleet import enroll, provision
from tests.helpers.broker import free_port

UNIT_NAMES = ("kiosk-ui.service", "kiosk-agent.service", "kiosk-ui-restart.path",
              "kiosk-reboot.path", "kiosk-ui-restart.service", "kiosk-out-of-service.service",
              "kiosk-nightly-restart.timer")


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


def fixture_units(folder: Path) -> Path:
    """Unit files named as systemd/README.md names them, until systemd/ lands on main."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in UNIT_NAMES:
        install = ("\n[Install]\nWantedBy=multi-user.target\n"
                   if name in ("kiosk-ui.service", "kiosk-agent.service",
                               "kiosk-ui-restart.path", "kiosk-reboot.path") else "")
        if name.endswith(".timer"):
            install = "\n[Install]\nWantedBy=timers.target\n"
        folder.joinpath(name).write_text(f"[Unit]\nDescription=fixture {name}\n{install}")
    (folder / "kiosk-ui.service.d").mkdir(exist_ok=True)
    (folder / "kiosk-ui.service.d" / "10-site.conf").write_text("[Service]\nNice=-5\n")
    (folder / "pam").mkdir(exist_ok=True)
    (folder / "pam" / "kiosk-ui").write_text("auth required pam_unix.so\n")
    (folder / "README.md").write_text("not installed\n")
    return folder
