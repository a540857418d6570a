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
PROBE_USER, PROBE_PASSWORD = "counters-probe", "probe-pass"


@dataclass
class Console:
    url: str
    proc: subprocess.Popen
    client_id: str
    log: Path
    _probe: httpx.Client | None = None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def client(self) -> httpx.Client:
        """A client that says, as a browser does, that its POSTs come from the console."""
        return httpx.Client(base_url=self.url, timeout=10, verify=False,
                            headers={"Origin": self.url})

    def login(self, name: str, password: str) -> httpx.Client:
        client = self.client()
        r = client.post("/login", data={"name": name, "password": password})
        assert r.status_code == 303 and r.headers["location"] == "/", r.text
        return client

    def counters(self) -> dict:
        """The ingest counters, read as a logged-in viewer (they need a login)."""
        if self._probe is None:
            self._probe = self.login(PROBE_USER, PROBE_PASSWORD)
        return self._probe.get("/api/ingest", timeout=5).json()


def start_console(folder: Path, db: str, broker, client_id: str = "fleet-console-1",
                  offline_after: float = 900, group: str = "fleet",
                  extra: tuple[str, ...] = ()) -> Console:
    """Against a SecureBroker (TLS, console login, fleet key) or a plain Broker. Adds a
    viewer login for counters() to the database."""
    from fleet.auth import add_user
    from fleet.models import make_engine

    engine = make_engine(db)
    add_user(engine, PROBE_USER, PROBE_PASSWORD, "viewer")
    engine.dispose()
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
    scheme = "https" if "--tls-cert" in extra else "http"
    url = f"{scheme}://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the console exited: {log.read_text()[-1500:]}")
        try:
            counters = httpx.get(f"{url}/healthz", timeout=1, verify=False).json()
            if counters.get("subscribed"):
                return Console(url, proc, client_id, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the console did not answer within 30 s: {log.read_text()[-1500:]}")
