"""The shared pty simulator base: line rate, pacing, replug behind a stable link, faults.

A toy line protocol (one frame per newline, answered in upper case) stands in for a
device, so these tests exercise the base alone over real ptys.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import serial

from drivers.serial_sim import SerialSimulator

WAIT = 5.0


class Lines:
    def __init__(self) -> None:
        self._buf = bytearray()

    @property
    def pending(self) -> int:
        return len(self._buf)

    def feed(self, chunk: bytes) -> list[bytes]:
        self._buf += chunk
        frames = []
        while b"\n" in self._buf:
            line, _, rest = bytes(self._buf).partition(b"\n")
            self._buf = bytearray(rest)
            frames.append(line + b"\n")  # a frame is all its bytes, as in the real protocols
        return frames

    def clear(self) -> None:
        self._buf.clear()


class Shouter(SerialSimulator):
    """Answers each line in upper case; "slow" switches it to 9600 after answering."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.announce: bytes | None = None

    def new_splitter(self) -> Lines:
        return Lines()

    def handle(self, frame: bytes) -> bytes:
        if frame == b"slow\n":
            self.switch_baud_after_reply(9600)
        return frame.upper()

    def on_tick(self, now: float) -> bytes | None:
        out, self.announce = self.announce, None
        return out


def ask(port: serial.Serial, line: bytes, timeout: float = WAIT) -> bytes:
    port.reset_input_buffer()
    port.write(line + b"\n")
    return read_line(port, timeout)


def read_line(port: serial.Serial, timeout: float) -> bytes:
    got = bytearray()
    deadline = time.monotonic() + timeout
    while not got.endswith(b"\n") and time.monotonic() < deadline:
        got += port.read(port.in_waiting or 1)
    return bytes(got)


@pytest.fixture
def sim() -> Iterator[Shouter]:
    with Shouter() as s:
        yield s


def test_answers_over_the_pty_and_logs_commands(sim: Shouter) -> None:
    with serial.Serial(sim.port, 115200, timeout=0.05) as port:
        assert ask(port, b"hello") == b"HELLO\n"
    assert sim.commands_received == [b"hello\n"]
    assert sim.port == sim.pty_port and sim.running


def test_a_driver_at_another_rate_is_not_understood() -> None:
    with Shouter(baud=115200) as sim, serial.Serial(sim.port, 9600, timeout=0.05) as port:
        assert ask(port, b"hello", timeout=0.5) == b""
        assert sim.garbled == 6 and sim.commands_received == []
        port.baudrate = 115200
        assert ask(port, b"hello") == b"HELLO\n"


def test_the_reply_to_a_rate_switch_leaves_at_the_old_rate() -> None:
    with Shouter(baud=115200, pace=False) as sim, serial.Serial(sim.port, 115200,
                                                               timeout=0.05) as port:  # fmt: skip
        assert ask(port, b"slow") == b"SLOW\n"
        assert sim.baud == 9600
        assert ask(port, b"again", timeout=0.5) == b""
        port.baudrate = 9600
        assert ask(port, b"again") == b"AGAIN\n"


def test_replies_are_paced_at_the_line_rate() -> None:
    line = b"x" * 479  # + newline: 480 bytes, 0.5 s at 9600 baud, each way
    with Shouter(baud=9600) as sim, serial.Serial(sim.port, 9600, timeout=0.05) as port:
        start = time.monotonic()
        port.write(line + b"\n")
        first = b""
        while not first:
            first = port.read(1)
        first_at = time.monotonic() - start
        assert read_line(port, WAIT) == line.upper()[1:] + b"\n"
        last_at = time.monotonic() - start
    # Lower bounds only: a loaded machine may be late, never early.
    assert first_at >= 0.5  # not before the request could have arrived on a wire
    assert last_at - first_at >= 0.45  # the reply trickles out, it is not dumped at once
    assert last_at >= 1.0


def test_unplug_and_replug_behind_a_stable_link(tmp_path: Path) -> None:
    link = tmp_path / "ttyTOY"
    sim = Shouter(link=link).start()
    try:
        assert os.path.realpath(link) == sim.pty_port and sim.port == str(link)
        with serial.Serial(sim.port, 115200, timeout=0.05) as port:
            assert ask(port, b"one") == b"ONE\n"
            sim.unplug()
            assert not link.exists() and not sim.running
            with pytest.raises(serial.SerialException):
                port.write(b"two\n")
                port.read(1)
        sim.replug()
        assert os.path.realpath(link) == sim.pty_port  # a new pty (its number may recur)
        with serial.Serial(sim.port, 115200, timeout=0.05) as port:
            assert ask(port, b"three") == b"THREE\n"
    finally:
        sim.stop()
    assert not link.exists()


def test_faults_silence_noise_and_unsolicited_bytes(sim: Shouter) -> None:
    with serial.Serial(sim.port, 115200, timeout=0.05) as port:
        sim.answering = False
        assert ask(port, b"hello", timeout=0.3) == b""
        sim.answering = True
        sim.garble_next_reply(b"\xff\x00")
        assert ask(port, b"hello") == b"\xff\x00HELLO\n"
        assert ask(port, b"hello") == b"HELLO\n"  # once only
        sim.inject(b"noise\n")
        assert read_line(port, WAIT) == b"noise\n"
        with sim.lock:
            sim.announce = b"event\n"
        assert read_line(port, WAIT) == b"event\n"


def wait_until(predicate: Callable[[], bool], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_half_received_frame_is_forgotten_after_silence(sim: Shouter) -> None:
    with serial.Serial(sim.port, 115200, timeout=0.05) as port:
        port.write(b"half")
        wait_until(lambda: sim.partial_dropped == 1)
        assert ask(port, b"whole") == b"WHOLE\n"
    assert sim.commands_received == [b"whole\n"]
