"""The queue driver against the simulator over real ptys: retries, states, events, recovery."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drivers.device import Action, DeviceState, DeviceStatus
from drivers.queue import protocol as q
from drivers.queue.driver import QueueDevice
from drivers.queue.link import QueueError, QueueLink
from drivers.queue.protocol import Cmd, Event, Flags, Ticket
from drivers.queue.simulator import QueueSimulator

WAIT = 8.0  # generous: a loaded 2-core CI box
FAST = {"poll_interval": 0.1, "reopen_interval": 0.05, "reopen_max": 0.2}
ONLINE, OFFLINE = DeviceState.ONLINE, DeviceState.OFFLINE


class Events:
    def __init__(self) -> None:
        self.statuses: list[DeviceStatus] = []
        self.events: list[Event] = []
        self._cond = threading.Condition()

    def on_status(self, status: DeviceStatus) -> None:
        with self._cond:
            self.statuses.append(status)
            self._cond.notify_all()

    def on_event(self, event: Event) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait(self, predicate: Callable[[], bool], timeout: float = WAIT) -> None:
        with self._cond:
            assert self._cond.wait_for(predicate, timeout), f"timed out; saw {self.statuses}"

    @property
    def states(self) -> list[DeviceState]:
        return [s.state for s in self.statuses]

    def wait_state(self, state: DeviceState) -> None:
        self.wait(lambda: bool(self.statuses) and self.statuses[-1].state is state)


@pytest.fixture
def sim() -> Iterator[QueueSimulator]:
    with QueueSimulator(baud=9600) as s:
        yield s


@pytest.fixture
def device_on() -> Iterator[Callable[..., tuple[QueueDevice, Events]]]:
    devices: list[QueueDevice] = []

    def make(port: str, **kwargs: object) -> tuple[QueueDevice, Events]:
        events = Events()
        device = QueueDevice(port, 9600, on_status=events.on_status, on_event=events.on_event,
                             **{**FAST, **kwargs})  # fmt: skip
        devices.append(device)
        device.start()
        events.wait(lambda: bool(events.statuses))
        return device, events

    yield make
    for device in devices:
        device.stop()


def wait_until(predicate: Callable[[], bool], timeout: float = WAIT) -> None:
    """For the simulator's state, which has no callback."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def takes(sim: QueueSimulator) -> list[q.Frame]:
    return [f for f in sim.executed if f.cmd == Cmd.TAKE_TICKET]


@pytest.mark.parametrize("lost", ["drop_replies", "ignore_requests"])
def test_a_retried_take_ticket_issues_one_ticket(
    lost: str, sim: QueueSimulator, device_on: Callable
) -> None:
    device, events = device_on(sim.port, poll_interval=60)
    setattr(sim, lost, 2)  # the first two tries go unanswered
    assert device.take_ticket(1) == Ticket("A001", 0)
    assert len(takes(sim)) == 1 and sim.waiting(1) == ["A001"]
    sent = [f for f in sim.commands_received if q.decode(f, check_crc=False).cmd == 0x01]
    assert len(sent) == 3 and len(set(sent)) == 1  # byte for byte the same frame, same SEQ
    assert device.take_ticket(1) == Ticket("A002", 1)  # the next one is a new request
    assert events.states == [ONLINE]


def test_no_answer_after_every_retry_is_offline_until_it_answers(
    sim: QueueSimulator, device_on: Callable
) -> None:
    device, events = device_on(sim.port, poll_interval=60)
    sim.answering = False
    with pytest.raises(QueueError) as err:
        device.take_ticket(1)
    assert err.value.kind == "no_answer"
    assert device.status.state is OFFLINE  # reported at once, not at the next poll
    assert device.status.detail_zh == "设备无应答"
    with pytest.raises(QueueError, match="not connected"):
        device.take_ticket(1)  # fails at once while the device is away
    sim.answering = True
    events.wait_state(ONLINE)
    assert device.take_ticket(1).text == "A001"
    assert events.states == [ONLINE, OFFLINE, ONLINE]


def test_paper_out_is_a_user_error_staff_can_clear(
    sim: QueueSimulator, device_on: Callable
) -> None:
    device, events = device_on(sim.port)
    sim.paper = "out"
    with pytest.raises(QueueError) as err:
        device.take_ticket(2)
    assert (err.value.kind, err.value.detail.zh) == ("paper_out", "取号纸已用完")
    assert device.status.state is DeviceState.USER_ERROR
    assert device.status.action is Action.CLEAR
    device.show_text(1, "请到人工窗口取号")
    assert sim.displayed == [(1, 0, "请到人工窗口取号")]  # the rest still works
    sim.paper = "low"  # staff put a roll in; the poll notices
    events.wait(lambda: events.statuses[-1].detail == "ticket paper low")
    assert device.status.state is ONLINE and device.status.action is Action.CLEAR
    assert device.take_ticket(2) == Ticket("B001", 0)


@pytest.mark.parametrize(
    ("flags", "state", "detail", "action"),
    [
        (Flags.PRINTER_FAULT, DeviceState.HARDWARE_ERROR, "ticket printer fault",
         Action.MAINTENANCE),
        (Flags.DISPLAY_FAULT, ONLINE, "display fault", Action.MAINTENANCE),
        (Flags.VOICE_FAULT, ONLINE, "voice fault", Action.MAINTENANCE),
    ],
)  # fmt: skip
def test_status_flags_become_device_states(
    flags: Flags, state: DeviceState, detail: str, action: Action,
    sim: QueueSimulator, device_on: Callable,
) -> None:  # fmt: skip
    device, events = device_on(sim.port)
    events.wait_state(ONLINE)
    sim.faults = flags
    events.wait(lambda: events.statuses[-1].detail == detail)
    assert (device.status.state, device.status.action) == (state, action)
    sim.faults = Flags.NONE
    events.wait(lambda: events.statuses[-1] == DeviceStatus("queue", ONLINE))


def test_busy_is_refused_without_a_state_change(sim: QueueSimulator, device_on: Callable) -> None:
    device, events = device_on(sim.port, poll_interval=60)
    sim.busy = 1
    with pytest.raises(QueueError) as err:
        device.take_ticket(1)
    assert err.value.kind == "busy" and not err.value.device_fault
    assert device.take_ticket(1).text == "A001"
    assert events.states == [ONLINE]


def test_window_commands(sim: QueueSimulator, device_on: Callable) -> None:
    device, _ = device_on(sim.port)
    device.take_ticket(3)
    device.call(2, "C001")
    device.recall(2)
    device.skip(2)
    device.pause(4)
    device.resume(4)
    device.speak("系统维护中")
    assert sim.announced == ["请C001号到2号窗口"] * 2 and sim.spoken == ["系统维护中"]
    with pytest.raises(QueueError) as err:
        device.recall(2)  # skipped: nothing to recall
    assert err.value.kind == "bad_parameter"
    with pytest.raises(q.QueueProtocolError):
        device.call(2, "C-1")  # refused before it reaches the line


def test_key_and_rating_events_arrive_once(sim: QueueSimulator, device_on: Callable) -> None:
    _, events = device_on(sim.port)
    sim.drop_acks = 1  # the first acknowledgement is lost: the device sends it again
    sim.press_key(3, q.Key.CALL_NEXT)
    sim.rate(3, 5)
    events.wait(lambda: len(events.events) == 2)
    assert events.events == [Event(Cmd.KEY_EVENT, 3, 1), Event(Cmd.RATING, 3, 5)]
    wait_until(lambda: sim.events_pending == 0)
    assert len(sim.acks) == 2 and sim.drop_acks == 0  # the key's second try was acknowledged
    assert sim.events_lost == 0 and len(events.events) == 2


def test_garbage_on_the_line(sim: QueueSimulator, device_on: Callable) -> None:
    device, events = device_on(sim.port, poll_interval=60)
    sim.inject(b"\x02\x01\x00\x81\x01\xf0" + bytes(range(40)))  # a header promising 496 bytes
    sim.garble_next_reply(b"\x00\x02\x03\xff")
    assert device.take_ticket(1).text == "A001"
    sim.garble_next_reply(q.encode(q.Frame(1, 0, 0x81, b"\x00Z999\x00\x00"))[:-1])
    assert device.take_ticket(1).text == "A002"
    assert len(takes(sim)) == 2 and events.states == [ONLINE]


def test_unplug_and_replug_behind_a_link(tmp_path: Path, device_on: Callable) -> None:
    sim = QueueSimulator(baud=9600, link=tmp_path / "ttyQUEUE").start()
    try:
        device, events = device_on(sim.port)
        events.wait_state(ONLINE)
        assert device.take_ticket(1).text == "A001"
        sim.unplug()
        events.wait_state(DeviceState.NO_DEVICE)
        with pytest.raises(QueueError):
            device.take_ticket(1)
        sim.replug()
        events.wait_state(ONLINE)
        assert device.take_ticket(1).text == "A002"  # the same device: its counter went on
        assert events.states[0] is ONLINE and events.states[-2] is DeviceState.NO_DEVICE
    finally:
        sim.stop()


def test_missing_port_and_a_wrong_rate() -> None:
    link = QueueLink("/dev/ttyNOSUCHQUEUE")
    with pytest.raises(QueueError) as err:
        link.open()
    assert err.value.kind == "no_device" and err.value.device_fault
    with QueueSimulator(baud=9600) as sim, pytest.raises(QueueError) as err:
        QueueLink(sim.port, 19200, timeout=0.1, retries=1).open()
    assert err.value.kind == "no_answer" and sim.garbled > 0


def test_stopping_is_not_a_fault(sim: QueueSimulator, device_on: Callable) -> None:
    device, events = device_on(sim.port)
    events.wait_state(ONLINE)
    device.stop()
    assert events.states == [ONLINE]  # no "offline" on the way out
    with pytest.raises(QueueError) as err:
        device.take_ticket(1)
    assert err.value.kind == "offline"
