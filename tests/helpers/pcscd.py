"""The real pcscd with the vsmartcard-vpcd reader driver, started and stopped by PID.

pcscd's client socket (/run/pcscd/pcscd.comm) is fixed, so one instance runs at a
time on the machine: a test process takes a machine-wide lock at its first start and
keeps it until it exits, so that two test runs at once wait for each other instead of
killing each other's daemon. The reader config is our own (``-c DIR``): the
reader's name is known, and ``with_reader=False`` starts a daemon that has no reader
at all (a reader that disappeared). A daemon that cannot start is a failure, never a
skip: the message says why.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

from smartcard import scard

READER_NAME = "Kiosk Test PCD"  # pcscd names the slots "<name> 00 00" and "<name> 00 01"
# Slot 00 00; slot 00 01 listens on the next port. Not vpcd's own 35963: that lies in
# the kernel's ephemeral range (32768-60999), which it lends to client connections, and
# a CI run's pcscd failed to listen on 35964 ("Address already in use") when a
# connection of the run's own happened to hold it.
VPCD_PORT = 29963
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
READY = "daemon ready"
START_TIMEOUT = 20.0
MACHINE_LOCK = Path("/tmp/kiosk-tests-pcscd.lock")
LOCK_WAIT = 1800.0  # another test run on this machine may hold pcscd for a whole suite
_lock_fd: int | None = None


class PcscdError(AssertionError):
    """pcscd could not be started: the test fails with this message."""


class Pcscd:
    def __init__(self, folder: Path, port: int = VPCD_PORT) -> None:
        self.port = port
        self.conf_dir = folder / "reader.conf.d"
        self.log_path = folder / "pcscd.log"
        self.proc: subprocess.Popen | None = None
        self.reader = f"{READER_NAME} 00 00"

    def start(self, with_reader: bool = True) -> Pcscd:
        exe = shutil.which("pcscd") or "/usr/sbin/pcscd"
        if not Path(exe).exists() or not VPCD_DRIVER.exists():
            raise PcscdError("pcscd or vsmartcard-vpcd is not installed: run `make setup`")
        if self.proc is not None:
            raise PcscdError("pcscd already started by this fixture")
        hold_machine_lock()
        self.conf_dir.mkdir(parents=True, exist_ok=True)
        conf = self.conf_dir / "vpcd"
        if with_reader:
            conf.write_text(
                f'FRIENDLYNAME "{READER_NAME}"\nDEVICENAME /dev/null:0x{self.port:04X}\n'
                f"LIBPATH {VPCD_DRIVER}\nCHANNELID 0x{self.port:04X}\n"
            )
        else:
            conf.unlink(missing_ok=True)
        log = self.log_path.open("ab")
        proc = subprocess.Popen([exe, "-f", "-i", "-c", str(self.conf_dir)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        ready, lines = threading.Event(), []

        def pump() -> None:  # keep draining, or a chatty pcscd blocks on a full pipe
            assert proc.stdout is not None
            for line in proc.stdout:
                log.write(line)
                log.flush()
                lines.append(line.decode(errors="replace").rstrip())
                if READY in lines[-1]:
                    ready.set()
            log.close()

        threading.Thread(target=pump, name="pcscd-log", daemon=True).start()
        self.proc = proc
        deadline = time.monotonic() + START_TIMEOUT
        if (not ready.wait(START_TIMEOUT) or proc.poll() is not None or not _accepts(deadline)
                or (with_reader and not _lists(self.reader, deadline))):
            self.kill()
            tail = "\n  ".join(lines[-6:]) or "(no output)"
            raise PcscdError(
                f"pcscd or its reader did not come up within {START_TIMEOUT:.0f} s (another pcscd "
                f"running, or its vpcd port taken? "
                f"see `ps -C pcscd`):\n  {tail}"
            )
        return self

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop by PID and reap it (a zombie would make the next pcscd think it still runs)."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def kill(self) -> None:
        """A crash: SIGKILL, no clean-up by pcscd itself."""
        self.stop(signal.SIGKILL)

    def restart(self, with_reader: bool = True) -> Pcscd:
        self.stop()
        return self.start(with_reader)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


def hold_machine_lock() -> None:
    """Once per process; released by the kernel when the process exits. Also for a test
    that needs *no* pcscd running: no other test run's daemon is up while it is held."""
    global _lock_fd
    if _lock_fd is not None:
        return
    fd = os.open(MACHINE_LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                raise PcscdError(
                    f"another test run held {MACHINE_LOCK} for {LOCK_WAIT:.0f} s"
                ) from None
            time.sleep(0.5)
    _lock_fd = fd


def _lists(reader: str, deadline: float) -> bool:
    """The vpcd reader can register a moment after the socket takes clients: wait for it,
    or a test (and the demo's own check) would find pcscd without a reader."""
    while time.monotonic() < deadline:
        hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hr == 0:
            try:
                hr, readers = scard.SCardListReaders(ctx, [])
                if hr == 0 and reader in readers:
                    return True
            finally:
                scard.SCardReleaseContext(ctx)
        time.sleep(0.02)
    return False


def _accepts(deadline: float) -> bool:
    """pcscd logs "ready" a moment before its socket takes clients: wait for a context."""
    while time.monotonic() < deadline:
        hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hr == 0:
            scard.SCardReleaseContext(ctx)
            return True
        time.sleep(0.01)
    return False
