"""The reader over real ptys, at production depth: every card type, line rates, a card
leaving mid-read, noise, a module that falls silent or fails its SAM, unplug and
replug. Each test ends with the device back online and checks the states on the way.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from drivers.device import Action, DeviceState, DeviceStatus
from drivers.idcard import protocol as p
from drivers.idcard.link import IdCardError
from drivers.idcard.protocol import IdCard
from drivers.idcard.reader import IdCardReader
from drivers.idcard.samples import PERMITS
from drivers.idcard.simulator import IdCardSimulator

WAIT = 8.0  # generous: a loaded 2-core CI box
FAST = {"poll_interval": 0.02, "reopen_interval": 0.05, "reopen_max": 0.2}
ONLINE, OFFLINE = DeviceState.ONLINE, DeviceState.OFFLINE
CARD = IdCard("欧阳娜娜", "2", "01", "19491231", "北京市东城区景山前街4号", "11010519491231002X",
              "北京市公安局东城分局", "20200101", "长期", bytes(range(256)) * 4)  # fmt: skip


class Events:
    """Everything the reader reports, in order; tests wait on it instead of sleeping."""

    def __init__(self) -> None:
        self.log: list[object] = []  # IdCard, "removed", DeviceStatus, IdCardError
        self._cond = threading.Condition()

    def record(self, item: object) -> None:
        with self._cond:
            self.log.append(item)
            self._cond.notify_all()

    def wait(self, predicate: Callable[[], bool], timeout: float = WAIT) -> None:
        with self._cond:
            assert self._cond.wait_for(predicate, timeout), f"timed out; saw {self.log}"

    def of(self, kind: type) -> list:
        with self._cond:
            return [x for x in self.log if isinstance(x, kind)]

    @property
    def cards(self) -> list[IdCard]:
        return self.of(IdCard)

    @property
    def states(self) -> list[DeviceState]:
        return [s.state for s in self.of(DeviceStatus)]

    @property
    def errors(self) -> list[str]:
        return [e.kind for e in self.of(IdCardError)]

    def wait_state(self, state: DeviceState) -> None:
        self.wait(lambda: bool(self.states) and self.states[-1] is state)


@pytest.fixture
def reader_on() -> Iterator[Callable[..., tuple[IdCardReader, Events]]]:
    readers: list[IdCardReader] = []

    def make(port: str, baud: int = 115200, **kwargs: object) -> tuple[IdCardReader, Events]:
        events = Events()
        reader = IdCardReader(
            port, baud, on_card=events.record, on_removed=lambda: events.record("removed"),
            on_status=events.record, on_read_error=events.record, **{**FAST, **kwargs},
        )  # fmt: skip
        readers.append(reader)
        reader.start()
        return reader, events

    yield make
    for reader in readers:
        reader.stop()


@pytest.fixture
def sim() -> Iterator[IdCardSimulator]:
    with IdCardSimulator() as s:
        yield s


@pytest.mark.parametrize("flag", list(PERMITS))
def test_every_permit_type_is_read(flag: str, sim: IdCardSimulator, reader_on: Callable) -> None:
    _, events = reader_on(sim.port)
    sim.insert(PERMITS[flag])
    events.wait(lambda: len(events.cards) == 1)
    assert events.cards == [PERMITS[flag]]
    assert events.cards[0].card_type.flag == flag


@pytest.mark.parametrize("rate", [57600, 9600])
def test_reads_at_a_configured_rate(rate: int, reader_on: Callable) -> None:
    with IdCardSimulator(CARD, baud=rate) as sim:  # paced: 1.35 s for the read at 9600
        _, events = reader_on(sim.port, rate, read_timeout=3.0)
        events.wait(lambda: len(events.cards) == 1)
        assert events.states == [ONLINE] and sim.garbled == 0


def test_a_module_at_another_rate_is_found_and_switched(reader_on: Callable) -> None:
    with IdCardSimulator(CARD, baud=115200, pace=False) as sim:  # its power-on rate
        _, events = reader_on(sim.port, 38400, reply_timeout=0.2)
        events.wait(lambda: len(events.cards) == 1)
        assert sim.baud == 38400
        assert p.encode_command(*p.set_baud(38400)) in sim.commands_received
        assert events.states == [ONLINE]  # the hunt is part of connecting, not a fault


@pytest.mark.parametrize(("how", "after"), [("cut", 600), ("cut", 3), ("vanish", 0)])
def test_card_removed_mid_read(
    how: str, after: int, sim: IdCardSimulator, reader_on: Callable
) -> None:
    _, events = reader_on(sim.port, read_timeout=0.5)
    events.wait_state(ONLINE)
    sim.fail_next_read(how, after)
    sim.insert(CARD)
    events.wait(lambda: events.errors == ["removed"])
    error = events.of(IdCardError)[0]
    assert error.detail.zh == "读卡过程中卡片被移开，请重新放卡"
    assert events.cards == [] and "removed" not in events.log  # never delivered
    sim.insert(CARD)  # the citizen puts it back
    events.wait(lambda: len(events.cards) == 1)
    assert events.cards == [CARD]
    assert events.states == [ONLINE]  # the module was fine all along


def test_a_failed_read_of_a_card_still_there_is_retried(
    sim: IdCardSimulator, reader_on: Callable
) -> None:
    _, events = reader_on(sim.port)
    events.wait_state(ONLINE)
    sim.fail_next_read("fail")
    sim.insert(CARD)
    events.wait(lambda: len(events.cards) == 1)
    assert events.errors == ["read_failed"]
    assert events.of(IdCardError)[0].sw3 == 0x41
    assert "读卡失败" in events.of(IdCardError)[0].detail.zh
    assert events.states == [ONLINE]


def test_garbage_on_the_line(sim: IdCardSimulator, reader_on: Callable) -> None:
    _, events = reader_on(sim.port)
    events.wait_state(ONLINE)
    sim.inject(b"\x00\xff\xaa\xaa\x96" * 50)
    # A fake header promising 1288 bytes, right before the real answer.
    sim.garble_next_reply(b"\x55" + p.PREAMBLE + b"\x05\x08\x00\x00")
    sim.insert(CARD)
    events.wait(lambda: len(events.cards) == 1)
    sim.garble_next_reply(p.PREAMBLE[:3])
    sim.remove()
    events.wait(lambda: "removed" in events.log)
    assert events.cards == [CARD] and events.states == [ONLINE]


def test_module_stops_answering_and_comes_back(sim: IdCardSimulator, reader_on: Callable) -> None:
    reader, events = reader_on(sim.port, reply_timeout=0.2)
    sim.insert(CARD)
    events.wait(lambda: len(events.cards) == 1)
    sim.answering = False
    lost = time.monotonic()
    events.wait_state(OFFLINE)
    assert time.monotonic() - lost < 0.2 + 2.0  # reported at once: one reply timeout (+ load)
    status = reader.status
    assert (status.detail, status.detail_zh, status.action) == (
        "no answer", "设备无应答", Action.MAINTENANCE)  # fmt: skip
    assert "removed" in events.log  # it can no longer vouch for the card
    sim.answering = True
    events.wait_state(ONLINE)
    events.wait(lambda: len(events.cards) == 2)  # the card is still there: read again
    assert events.states == [ONLINE, OFFLINE, ONLINE]


@pytest.mark.parametrize(("command", "code"), [(p.SAM_STATUS, 0x60), (p.FIND_CARD, 0x66)])
def test_sam_fault_is_a_hardware_error_until_it_clears(
    command: tuple[int, int], code: int, sim: IdCardSimulator, reader_on: Callable
) -> None:
    sim.force(command, code)
    reader, events = reader_on(sim.port)
    events.wait_state(DeviceState.HARDWARE_ERROR)
    status = reader.status
    assert p.sw3_message(code) in status.detail and f"SW3 {code:02X}" in status.detail
    assert p.sw3_message(code, "zh") in status.detail_zh
    assert status.action is Action.MAINTENANCE
    sim.force(command, None)  # the engineer replaced the SAM
    events.wait_state(ONLINE)
    assert events.states == [DeviceState.HARDWARE_ERROR, ONLINE]  # no flapping on the way


def test_unplug_and_replug_behind_a_udev_style_link(tmp_path: Path, reader_on: Callable) -> None:
    sim = IdCardSimulator(CARD, link=tmp_path / "ttyIDCARD").start()
    try:
        reader, events = reader_on(sim.port)  # the driver opens the link, never /dev/pts/N
        events.wait(lambda: len(events.cards) == 1)
        sim.unplug()
        events.wait_state(DeviceState.NO_DEVICE)
        assert reader.status.detail_zh == "端口不存在（设备未连接）"
        assert "removed" in events.log
        sim.replug()
        events.wait_state(ONLINE)
        events.wait(lambda: len(events.cards) == 2)
        states = events.states
        assert states[0] is ONLINE and states[-1] is ONLINE
        assert set(states[1:-1]) <= {OFFLINE, DeviceState.NO_DEVICE}
        assert states[-2] is DeviceState.NO_DEVICE
    finally:
        sim.stop()


def test_reconnect_attempts_back_off(tmp_path: Path) -> None:
    events = Events()
    reader = IdCardReader(str(tmp_path / "ttyNONE"), on_card=events.record,
                          on_status=events.record, poll_interval=0.02,
                          reopen_interval=0.05, reopen_max=0.4)  # fmt: skip
    real_open = reader._link.open

    def counting_open() -> None:
        events.record(time.monotonic())
        real_open()

    reader._link.open = counting_open  # type: ignore[method-assign]
    reader.start()
    try:
        events.wait(lambda: len(events.of(float)) >= 7)
    finally:
        reader.stop()
    attempts = events.of(float)
    gaps = [b - a for a, b in pairwise(attempts)]
    assert events.states == [DeviceState.NO_DEVICE]  # reported once, not per attempt
    for gap, least in zip(gaps, [0.05, 0.1, 0.2, 0.4, 0.4, 0.4], strict=False):
        assert gap >= least - 0.01  # lower bounds only: a loaded box may be late, never early
    assert gaps[0] < 0.4  # it did start short


def test_stopping_is_not_a_fault(sim: IdCardSimulator, reader_on: Callable) -> None:
    reader, events = reader_on(sim.port)
    events.wait_state(ONLINE)
    reader.stop()
    assert events.states == [ONLINE]
