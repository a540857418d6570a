"""The driver against the simulator over a real pty: cards, removal and device states."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from drivers.device import Action, DeviceState, DeviceStatus
from drivers.idcard.protocol import FIND_CARD, READ_BASE, IdCard, encode_command
from drivers.idcard.reader import IdCardReader
from drivers.idcard.simulator import IdCardSimulator
from drivers.pty_pair import PtyPair

WAIT = 5.0  # generous: a loaded 2-core CI box
FAST = {"poll_interval": 0.02, "reopen_interval": 0.1}

CARD_A = IdCard("欧阳娜娜", "2", "01", "19491231", "北京市东城区景山前街4号", "11010519491231002X",
                "北京市公安局东城分局", "20200101", "长期", bytes(range(256)) * 4)  # fmt: skip
CARD_B = IdCard("李四", "1", "03", "19900307", "上海市黄浦区南京东路1号", "310101199003079873",
                "上海市公安局黄浦分局", "20100307", "20300307")  # fmt: skip


class Events:
    """Records the reader's callbacks; tests wait on it instead of sleeping."""

    def __init__(self) -> None:
        self.cards: list[IdCard] = []
        self.removed = 0
        self.statuses: list[DeviceStatus] = []
        self._cond = threading.Condition()

    def on_card(self, card: IdCard) -> None:
        with self._cond:
            self.cards.append(card)
            self._cond.notify_all()

    def on_removed(self) -> None:
        with self._cond:
            self.removed += 1
            self._cond.notify_all()

    def on_status(self, status: DeviceStatus) -> None:
        with self._cond:
            self.statuses.append(status)
            self._cond.notify_all()

    def wait(self, predicate: Callable[[], bool], timeout: float = WAIT) -> None:
        with self._cond:
            assert self._cond.wait_for(predicate, timeout), "timed out waiting for the reader"

    def states(self) -> list[DeviceState]:
        return [s.state for s in self.statuses]


def wait_until(predicate: Callable[[], bool], timeout: float = WAIT) -> None:
    """For conditions with no callback (the simulator's command log)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def count(sim: IdCardSimulator, command: tuple[int, int]) -> int:
    return sim.commands_received.count(encode_command(*command))


@pytest.fixture
def sim() -> Iterator[IdCardSimulator]:
    s = IdCardSimulator()
    s.start()
    yield s
    s.stop()


@pytest.fixture
def make_reader() -> Iterator[Callable[..., tuple[IdCardReader, Events]]]:
    readers: list[IdCardReader] = []

    def make(port: str, baud: int = 115200, **kwargs: object) -> tuple[IdCardReader, Events]:
        events = Events()
        reader = IdCardReader(port, baud, on_card=events.on_card, on_removed=events.on_removed,
                              on_status=events.on_status, **{**FAST, **kwargs})  # fmt: skip
        readers.append(reader)
        reader.start()
        return reader, events

    yield make
    for reader in readers:
        reader.stop()


def test_card_once_per_presence(sim: IdCardSimulator, make_reader: Callable) -> None:
    reader, events = make_reader(sim.port)
    events.wait(lambda: reader.status.state is DeviceState.ONLINE)
    sim.insert(CARD_A)
    events.wait(lambda: len(events.cards) == 1)
    assert events.cards[0] == CARD_A
    finds = count(sim, FIND_CARD)
    wait_until(lambda: count(sim, FIND_CARD) >= finds + 5)  # the card stays on the reader
    assert len(events.cards) == 1 and count(sim, READ_BASE) == 1

    sim.remove()
    events.wait(lambda: events.removed == 1)
    sim.insert(CARD_B)
    events.wait(lambda: len(events.cards) == 2)
    assert events.cards[1] == CARD_B
    assert events.removed == 1
    assert events.states() == [DeviceState.ONLINE]  # one status, never repeated


def test_rearm_delivers_the_card_on_the_reader_again(
    sim: IdCardSimulator, make_reader: Callable
) -> None:
    reader, events = make_reader(sim.port)
    sim.insert(CARD_A)
    events.wait(lambda: len(events.cards) == 1)
    reads = count(sim, READ_BASE)
    sim.insert(CARD_B)  # swapped faster than a poll: the reader cannot tell
    finds = count(sim, FIND_CARD)
    wait_until(lambda: count(sim, FIND_CARD) >= finds + 3)
    assert len(events.cards) == 1 and count(sim, READ_BASE) == reads
    reader.rearm()  # a new session begins with a card lying there
    events.wait(lambda: len(events.cards) == 2)
    assert events.cards[1] == CARD_B
    assert events.removed == 0


def test_card_already_there_at_start(make_reader: Callable) -> None:
    sim = IdCardSimulator(CARD_A, baud=115200)  # real wire time for the 1295-byte reply
    sim.start()
    try:
        _, events = make_reader(sim.port)
        events.wait(lambda: len(events.cards) == 1)
        assert events.cards == [CARD_A]
    finally:
        sim.stop()


def test_slow_read_uses_the_read_timeout(make_reader: Callable) -> None:
    sim = IdCardSimulator(CARD_B, baud=19200)  # 1295 bytes take 0.67 s: > reply_timeout
    sim.start()
    try:
        reader, events = make_reader(sim.port, 19200, reply_timeout=0.5, read_timeout=2.0)
        events.wait(lambda: len(events.cards) == 1)
        assert reader.status.state is DeviceState.ONLINE
    finally:
        sim.stop()


def test_unreadable_card_is_not_delivered_nor_hammered(
    sim: IdCardSimulator, make_reader: Callable
) -> None:
    reader, events = make_reader(sim.port, max_read_attempts=2)
    sim.insert(replace(CARD_A, id_number="110105194912310021"))  # check digit wrong
    wait_until(lambda: count(sim, READ_BASE) == 2)
    finds = count(sim, FIND_CARD)
    wait_until(lambda: count(sim, FIND_CARD) >= finds + 5)
    assert count(sim, READ_BASE) == 2 and events.cards == []
    assert reader.status.state is DeviceState.ONLINE  # a bad card is not a bad device
    sim.remove()
    wait_until(lambda: count(sim, FIND_CARD) >= finds + 7)
    sim.insert(CARD_A)
    events.wait(lambda: events.cards == [CARD_A])
    assert events.removed == 0  # nothing was delivered, so nothing was removed


def test_failing_callback_does_not_stop_the_reader(sim: IdCardSimulator) -> None:
    removed = threading.Event()

    def explode(card: IdCard) -> None:
        raise RuntimeError(card.name)  # would leak the name if logged

    reader = IdCardReader(sim.port, on_card=explode, on_removed=removed.set, **FAST)
    reader.start()
    try:
        sim.insert(CARD_A)
        wait_until(lambda: count(sim, READ_BASE) == 1)
        sim.remove()
        assert removed.wait(WAIT)
    finally:
        reader.stop()


def test_missing_port_is_no_device(make_reader: Callable) -> None:
    reader, events = make_reader("/dev/does-not-exist-idcard")
    events.wait(lambda: bool(events.statuses))
    assert events.statuses == [
        DeviceStatus("idcard", DeviceState.NO_DEVICE, "port missing", Action.MAINTENANCE)
    ]
    started = time.monotonic()
    reader.stop()
    assert time.monotonic() - started < 2.0


def test_silent_port_is_offline(make_reader: Callable) -> None:
    pty = PtyPair()  # a port with nothing answering on it
    try:
        reader, events = make_reader(pty.port, reply_timeout=0.2)
        events.wait(lambda: bool(events.statuses))
        assert events.statuses[0].state is DeviceState.OFFLINE
        assert events.statuses[0].action is Action.MAINTENANCE
        assert not reader.status.usable
    finally:
        pty.close()


def test_device_unplugged_and_plugged_back(tmp_path: Path, make_reader: Callable) -> None:
    link = tmp_path / "ttyIDCARD"  # a stable name, as a udev rule gives the real module
    first, second = IdCardSimulator(CARD_A), IdCardSimulator(CARD_A)
    first.start()
    try:
        link.symlink_to(first.port)
        reader, events = make_reader(str(link))
        events.wait(lambda: len(events.cards) == 1)
        first.stop()  # the pty closes: to the reader, the module is unplugged
        events.wait(lambda: reader.status.state is not DeviceState.ONLINE)
        assert reader.status.state in (DeviceState.OFFLINE, DeviceState.NO_DEVICE)
        events.wait(lambda: events.removed == 1)  # it can no longer vouch for the card
        link.unlink()
        events.wait(lambda: reader.status.state is DeviceState.NO_DEVICE)
        second.start()
        link.symlink_to(second.port)
        events.wait(lambda: reader.status.state is DeviceState.ONLINE)
        events.wait(lambda: len(events.cards) == 2)  # the card is still there: read again
    finally:
        first.stop()
        second.stop()


def test_second_reader_on_the_same_port_is_locked_out(
    sim: IdCardSimulator, make_reader: Callable
) -> None:
    first, _ = make_reader(sim.port)
    wait_until(lambda: first.status.state is DeviceState.ONLINE)
    _, events = make_reader(sim.port)
    events.wait(lambda: bool(events.statuses))
    assert events.statuses[0].state is DeviceState.OFFLINE
    assert events.statuses[0].detail == "port in use"
    assert first.status.state is DeviceState.ONLINE
