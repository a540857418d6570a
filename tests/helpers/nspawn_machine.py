"""Boot the cached Debian root under systemd-nspawn with the project's units installed.

The root is mounted as an overlay (the cache stays clean), the units and the test
drop-ins are copied in, the checkout and the venv's pieces are bind-mounted
read-only, and the container is booted with
``systemd-nspawn --boot --register=no --keep-unit`` (no system bus needed on the
host). Commands run inside with ``nsenter`` into the container's PID 1 namespaces.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers.nspawn import REPO

UNITS = REPO / "systemd"
DROPINS = REPO / "tests" / "systemd" / "dropins"
VENV = Path(sys.prefix)  # the shared venv
BASE_PYTHON = Path(sys.base_prefix)  # its pyenv build
SRC = "/opt/kiosk/src"  # the checkout, inside
TEST_DIR = "/kiosk-test"  # a host folder the test and the units share


class Machine:
    def __init__(self, cache_root: Path, work: Path):
        self.work = work
        self.root = work / "root"
        self.shared = work / "shared"
        self.proc: subprocess.Popen | None = None
        self.pid1 = 0
        self._cache_root = cache_root

    # -- the file system ------------------------------------------------------------
    def mount(self) -> None:
        for d in ("upper", "ovl-work", "root", "shared"):
            (self.work / d).mkdir(parents=True, exist_ok=True)
        self.shared.chmod(0o777)  # the units' users write here
        subprocess.run(
            ["mount", "-t", "overlay", "overlay", "-o",
             f"lowerdir={self._cache_root},upperdir={self.work / 'upper'},"
             f"workdir={self.work / 'ovl-work'}", str(self.root)], check=True)

    def umount(self) -> None:
        subprocess.run(["umount", "-l", str(self.root)], check=False)

    def install(self, config_text: str, files: dict[str, bytes] | None = None) -> None:
        """What provisioning would do, for the parts the units rely on."""
        r = self.root
        for group in ("kiosk", "kiosk-agent", "kiosk-devices"):
            self.chroot("groupadd", "--system", group)
        self.chroot("useradd", "--system", "--gid", "kiosk", "--home-dir", "/var/lib/kiosk",
                    "--shell", "/usr/sbin/nologin", "kiosk")
        self.chroot("useradd", "--system", "--gid", "kiosk-agent", "--home-dir",
                    "/var/lib/kiosk-agent", "--shell", "/usr/sbin/nologin", "kiosk-agent")
        for group in ("video", "render", "input", "audio", "tty", "systemd-journal"):
            if subprocess.run(["chroot", str(r), "getent", "group", group],
                              capture_output=True).returncode:
                self.chroot("groupadd", "--system", group)
        # A release: /opt/kiosk/current -> releases/test, whose venv uses the host's
        # pyenv Python and site-packages (bind-mounted), and the checkout on PYTHONPATH.
        release = r / "opt/kiosk/releases/test"
        venv = release / "venv"
        (venv / "bin").mkdir(parents=True)
        (venv / "lib/python3.11").mkdir(parents=True)
        for mountpoint in ("opt/pyenv", "opt/venv-site", SRC.lstrip("/"),
                           TEST_DIR.lstrip("/")):
            (r / mountpoint).mkdir(parents=True, exist_ok=True)
        real = Path(os.path.realpath(VENV / "bin" / "python"))
        inside = Path("/opt/pyenv") / real.relative_to(BASE_PYTHON)
        (venv / "bin/python").symlink_to(inside)
        (venv / "pyvenv.cfg").write_text(
            f"home = {inside.parent}\ninclude-system-site-packages = false\n"
            "version = 3.11\n")
        (venv / "lib/python3.11/site-packages").symlink_to("/opt/venv-site")
        (r / "opt/kiosk/current").symlink_to("releases/test")
        for lib in (BASE_PYTHON / "lib").glob("libpython3*.so*"):  # the build's shared lib
            shutil.copy(lib, r / "usr/local/lib" / lib.name, follow_symlinks=False)
        self.chroot("ldconfig")
        etc = r / "etc/kiosk"
        etc.mkdir(parents=True)
        (etc / "kiosk.toml").write_text(config_text)
        for name, data in (files or {}).items():
            (etc / name).write_bytes(data)
        self.chroot("chown", "-R", "root:kiosk", "/etc/kiosk")
        self.chroot("chmod", "-R", "u=rwX,g=rX,o=", "/etc/kiosk")
        pam = r / "etc/pam.d/kiosk-ui"
        shutil.copy(UNITS / "pam/kiosk-ui", pam)
        system = r / "etc/systemd/system"
        for unit in sorted(UNITS.glob("*.service")) + sorted(UNITS.glob("*.path")) + \
                sorted(UNITS.glob("*.timer")):
            shutil.copy(unit, system / unit.name)
        for dropin in DROPINS.glob("*.d"):
            shutil.copytree(dropin, system / dropin.name)
        self.chroot("systemctl", "enable", "--quiet", "kiosk-ui.service", "kiosk-agent.service",
                    "kiosk-ui-restart.path", "kiosk-reboot.path")

    def chroot(self, *argv: str) -> None:
        subprocess.run(["chroot", str(self.root), *argv], check=True,
                       stdout=subprocess.DEVNULL)

    # -- booting --------------------------------------------------------------------
    def boot(self, timeout: float = 30) -> float:
        """Boot until PID 1 has reached basic.target; the seconds it took."""
        started = time.monotonic()
        log = open(self.work / "console.log", "wb")  # noqa: SIM115 - closed in stop()
        self._log = log
        binds = [f"--bind-ro={BASE_PYTHON}:/opt/pyenv",
                 f"--bind-ro={VENV / 'lib/python3.11/site-packages'}:/opt/venv-site",
                 f"--bind-ro={REPO}:{SRC}", f"--bind={self.shared}:{TEST_DIR}"]
        self.proc = subprocess.Popen(
            ["systemd-nspawn", "--quiet", "-D", str(self.root), "--boot", "--register=no",
             "--keep-unit", "--console=pipe", f"--machine=kiosk-{os.getpid()}", *binds],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = started + timeout
        while time.monotonic() < deadline and not self.pid1:
            self.pid1 = self._find_pid1()
            time.sleep(0.05)
        if not self.pid1:
            raise RuntimeError(f"no container init: {self.console()[-2000:]}")
        # PID 1 answers (the units' own start is what the tests then watch).
        self.wait_for(lambda: self.run("systemctl", "is-active", "basic.target").stdout
                      .strip() == "active", max(1.0, deadline - time.monotonic()),
                      "the container did not reach basic.target", every=0.05)
        return time.monotonic() - started

    def _find_pid1(self) -> int:
        if self.proc is None or self.proc.poll() is not None:
            raise RuntimeError(f"systemd-nspawn exited: {self.console()[-2000:]}")
        for child in self._children(self.proc.pid):
            if Path(f"/proc/{child}/comm").read_text().strip() == "systemd":
                return child
        return 0

    def _children(self, pid: int) -> list[int]:
        found = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids = (task / "children").read_text().split()
            for kid in map(int, kids):
                found += [kid, *self._children(kid)]
        return found

    def run(self, *argv: str, timeout: float = 30, check: bool = False
            ) -> subprocess.CompletedProcess:
        """A command inside the container (its mount, PID, IPC and UTS namespaces)."""
        out = subprocess.run(
            ["nsenter", "-t", str(self.pid1), "-m", "-p", "-i", "-u", "--", *argv],
            capture_output=True, text=True, timeout=timeout,
        )
        if check and out.returncode:
            raise RuntimeError(f"{argv}: {out.returncode} {out.stdout} {out.stderr}")
        return out

    def show(self, unit: str, *props: str) -> dict[str, str]:
        out = self.run("systemctl", "show", unit, "--property=" + ",".join(props)).stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def wait_for(self, what, timeout: float, message: str, every: float = 0.2):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = what()
            if value:
                return value
            time.sleep(every)
        raise AssertionError(f"{message} (after {timeout} s)\n{self.journal()}")

    def journal(self, lines: int = 60) -> str:
        return self.run("journalctl", "-b", "--no-pager", "-n", str(lines),
                        "-u", "kiosk-ui", "-u", "kiosk-agent", "-u", "kiosk-out-of-service",
                        "-u", "kiosk-ui-restart").stdout

    def console(self) -> str:
        path = self.work / "console.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # nspawn: SIGTERM powers the container off cleanly
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "_log", None):
            self._log.close()
        self.umount()
