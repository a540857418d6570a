"""``python -m demo --config config/kiosk.toml``: what ``make run`` starts.

Starts a real mosquitto on loopback, the embedded demo back end, and the kiosk with
its device simulators, as child processes. Ctrl-C (or the kiosk window closing)
stops all of them; nothing is left behind.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

from demo.console import console_argv
from demo.display import start_xvfb, where_to_look
from kiosk.config import ConfigError, KioskConfig, load_config
from ui.__main__ import has_display

PR_SET_PDEATHSIG = 1

def _child_setup() -> None:
    """Runs in each child before exec (Linux).

    Its own process group: Ctrl-C reaches only the launcher, which then stops the
    children in order, so the kiosk can still tell the broker it goes offline.
    PR_SET_PDEATHSIG: should the launcher itself be killed, the child gets SIGTERM.
    """
    os.setpgid(0, 0)
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Children:
    """Child processes, stopped in reverse order of start on the way out."""

    def __init__(self) -> None:
        self.procs: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], pass_fds: tuple[int, ...] = (),
              env: dict[str, str] | None = None) -> subprocess.Popen:
        proc = subprocess.Popen(argv, preexec_fn=_child_setup, pass_fds=pass_fds, env=env)
        print(f"demo: started {name} (pid {proc.pid}): {' '.join(argv)}", flush=True)
        self.procs.append((name, proc))
        return proc

    def stop_all(self) -> None:
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
            try:  # one at a time: the kiosk says "offline" while the broker still runs
                proc.wait(timeout=8)
            except subprocess.TimeoutExpired:
                print(f"demo: {name} did not stop; killing it", flush=True)
                proc.kill()
                proc.wait()


def mosquitto_conf(config: KioskConfig, folder: Path) -> Path:
    conf = folder / "mosquitto.conf"
    # `user`: started as root, mosquitto would switch to user "mosquitto", and a
    # change of user clears PR_SET_PDEATHSIG: it would outlive a killed launcher.
    conf.write_text(
        f"listener {config.broker.port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        f"log_type error\nlog_type warning\nuser {pwd.getpwuid(os.getuid()).pw_name}\n"
    )
    return conf


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the back end exited with code {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the back end did not answer {url} within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    parser.add_argument("--config", default="config/kiosk.toml")
    parser.add_argument(
        "--headless", action="store_true", help="running under Xvfb: write screenshots"
    )
    parser.add_argument("--console-port", type=int, default=8770, help="the fleet console's")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 2
    mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not Path(mosquitto).exists():
        print("demo: mosquitto is not installed: run `make setup` (as root)", file=sys.stderr)
        return 2

    folder = Path(config.paths.data_dir) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    backend = urlparse(config.backend.url)
    children = Children()
    # SIGTERM is handled like Ctrl-C so the children are stopped either way.
    signal.signal(signal.SIGTERM, lambda *_a: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        children.start("broker", [mosquitto, "-c", str(mosquitto_conf(config, folder))])
        proc = children.start("back end", [
            sys.executable, "-m", "backend", "--host", backend.hostname or "127.0.0.1",
            "--port", str(backend.port or 80), "--db", str(folder / "backend.sqlite"),
        ])
        wait_http(f"{config.backend.url}/api/v1/health", proc)
        children.start("fleet console", console_argv(config, folder, args.console_port))
        console_url = f"http://127.0.0.1:{args.console_port}/"
        print(f"demo: fleet console at {console_url} "
              "(operator: demo / demo, viewer: viewer / viewer)", flush=True)
        kiosk = [sys.executable, "-m", "ui", "--config", args.config, "--simulate"]
        env = None
        if not has_display():  # a server or CI: a virtual display instead of stopping
            env = {**os.environ, "DISPLAY": start_xvfb(children.start)}
            print(where_to_look(env["DISPLAY"], Path(config.paths.data_dir) / "screens",
                                console_url), flush=True)
        if args.headless or env is not None:
            kiosk += ["--screenshot-every", "3"]
        proc = children.start("kiosk", kiosk, env=env)
        print("demo: running. Press Ctrl-C to stop everything.", flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        print("\ndemo: stopping…", flush=True)
        return 0
    except RuntimeError as exc:  # DisplayError included
        print(f"demo: {exc}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip cleanup
        children.stop_all()
        print("demo: stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
