"""The fleet console as a real child process (``python -m fleet``), by PID."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.helpers.broker import free_port

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Console:
    url: str
    proc: subprocess.Popen
    client_id: str
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def login(self, name: str, password: str) -> httpx.Client:
        client = httpx.Client(base_url=self.url, timeout=10)
        r = client.post("/login", data={"name": name, "password": password})
        assert r.status_code == 303 and r.headers["location"] == "/", r.text
        return client

    def counters(self) -> dict:
        return httpx.get(f"{self.url}/api/ingest", timeout=5).json()


def start_console(folder: Path, db: str, broker, client_id: str = "fleet-console-1",
                  offline_after: float = 900, group: str = "fleet",
                  extra: tuple[str, ...] = ()) -> Console:
    """Against a SecureBroker (TLS, console login, fleet key) or a plain Broker."""
    port = free_port()
    argv = [sys.executable, "-m", "fleet", "--db", db, "--mqtt-host", broker.host,
            "--mqtt-port", str(getattr(broker, "console_port", broker.port)),
            "--client-id", client_id, "--group", group,
            "--http-port", str(port), "--offline-after", str(offline_after), *extra]
    if hasattr(broker, "ca_file"):
        (folder / "console.pw").write_text(broker.console_password)
        argv += ["--ca-file", str(broker.ca_file), "--mqtt-user", "console",
                 "--mqtt-password-file", str(folder / "console.pw"),
                 "--fleet-key-file", str(broker.console_dir / "fleet.key"),
                 "--registry", str(broker.registry)]
    log = folder / f"{client_id}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(argv, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONPATH": str(REPO)})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the console exited: {log.read_text()[-1500:]}")
        try:
            counters = httpx.get(f"{url}/api/ingest", timeout=1).json()
            if counters.get("subscribed"):
                return Console(url, proc, client_id, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the console did not answer within 30 s: {log.read_text()[-1500:]}")
