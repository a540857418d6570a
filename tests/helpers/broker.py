"""A real mosquitto broker on a free loopback port, started and stopped by PID."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Broker:
    host: str
    port: int
    proc: subprocess.Popen

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_broker(folder: Path) -> Broker:
    exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    port = free_port()
    conf = folder / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    proc = subprocess.Popen(
        [exe, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"mosquitto exited: {proc.stderr.read().decode()[-500:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return Broker("127.0.0.1", port, proc)
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("mosquitto did not start listening within 10 s")


class SecureBroker:
    """Mosquitto with the project's shipped TLS + password + ACL configuration.

    Provisioned in ``folder`` with fleet/provision.py (a throwaway CA), on a fixed
    port so that ``restart()`` brings it back where clients reconnect.
    """

    def __init__(self, folder: Path):
        import getpass

        from fleet import provision

        self.folder = folder
        self.host = "127.0.0.1"
        self.port = free_port()  # the terminals' listener
        self.console_port = free_port()  # the console's
        creds = provision.init(folder, self.port, ["localhost", "127.0.0.1"], bind=self.host,
                               console_port=self.console_port)
        self.console_password = creds["console_password"]
        self.fleet_key = provision.fleet_key(folder)
        self.broker_dir = provision.broker_dir(folder)
        self.console_dir = provision.console_dir(folder)
        self.registry = provision.registry_file(folder)
        self.ca_file = self.console_dir / "ca.crt"
        conf = self.broker_dir / "mosquitto.conf"
        # As root, mosquitto would drop to user "mosquitto", who cannot read the 0600 keys.
        conf.write_text(conf.read_text() + f"user {getpass.getuser()}\n")
        self.conf = conf
        self.proc: subprocess.Popen | None = None
        self.start()

    def add_terminal(self, terminal: str, site: str) -> dict[str, str]:
        from fleet import provision

        creds = provision.add_terminal(self.folder, terminal, site)
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGHUP)  # mosquitto rereads passwd on SIGHUP
            self.wait_login(creds["username"], creds["password"])
        return creds

    def add_user_only(self, username: str, password: str, site: str | None = None) -> None:
        """A login (at ``site`` in the registry) without reloading the broker (call
        reload() after a batch)."""
        from fleet import provision

        provision.add_user(self.folder, username, password, site)

    def reload(self, check: tuple[str, str]) -> None:
        self.proc.send_signal(signal.SIGHUP)
        self.wait_login(*check)

    def port_for(self, username: str) -> int:
        return self.console_port if username == "console" else self.port

    def wait_login(self, username: str, password: str, timeout: float = 10) -> None:
        """Until the reload is done, a new login is refused: wait until it is accepted."""
        import paho.mqtt.client as mqtt

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            probe = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"probe-{username}",
                                protocol=mqtt.MQTTv5)
            probe.username_pw_set(username, password)
            probe.tls_set(ca_certs=str(self.ca_file))
            accepted = []
            probe.on_connect = (
                lambda _c, _u, _f, rc, _p, box=accepted: box.append(not rc.is_failure))
            try:
                probe.connect(self.host, self.port_for(username))
                end = time.monotonic() + 2
                while not accepted and time.monotonic() < end:
                    probe.loop(0.05)
            finally:
                probe.disconnect()
            if accepted and accepted[0]:
                return
            time.sleep(0.05)
        raise RuntimeError(f"mosquitto did not accept the new login {username!r}")

    def start(self) -> None:
        exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self.proc = subprocess.Popen([exe, "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"mosquitto exited: {self.proc.stderr.read().decode()[-800:]}")
            try:
                for port in (self.port, self.console_port):
                    socket.create_connection((self.host, port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("mosquitto (TLS) did not start listening within 10 s")

    def stop(self) -> None:
        """SIGTERM: mosquitto saves its persistence file on the way out."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def restart(self) -> None:
        self.stop()
        self.start()
