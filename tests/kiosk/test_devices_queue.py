"""The optional queue-number device: configured, started by the hub, simulated by --simulate."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from drivers.device import DeviceState, DeviceStatus
from drivers.queue.protocol import Cmd, Event
from drivers.queue.simulator import QueueSimulator
from kiosk.config import (
    ConfigError,
    DevicesConfig,
    IdCardConfig,
    PrinterConfig,
    QueueConfig,
    load_config,
)
from kiosk.devices import DeviceHub

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "config" / "kiosk.toml"
WAIT = 8.0


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


QUEUE_SECTION = '\n[devices.queue]\nport = "/dev/ttyUSB2"\naddress = 3\n'


def without_queue(text: str) -> str:
    """The example config (which has the demo's queue device) with its section left out."""
    start = text.index("[devices.queue]")
    return text[:start] + text[text.index("[backend]"):]


def with_queue(text: str) -> str:
    return without_queue(text).replace("[backend]", QUEUE_SECTION + "\n[backend]", 1)


def test_the_queue_section_is_optional(tmp_path: Path) -> None:
    assert load_config(EXAMPLE).devices.queue == QueueConfig(port="/dev/ttyUSB2")  # the demo's
    assert load_config(write(tmp_path, without_queue(EXAMPLE.read_text()))).devices.queue is None
    queue = load_config(write(tmp_path, with_queue(EXAMPLE.read_text()))).devices.queue
    assert queue == QueueConfig(port="/dev/ttyUSB2", baud=9600, address=3, status_poll_s=2)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("address = 3", "address = 300", r"devices\.queue\.address"),
        ("address = 3", "adress = 3", r"devices\.queue\.adress: unknown key"),
        ("baud = 115200", "baud = 4800", r"devices\.idcard\.baud: .*4800"),
    ],
)
def test_device_mistakes_name_the_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    text = with_queue(EXAMPLE.read_text()).replace(old, new, 1)
    with pytest.raises(ConfigError, match=key):
        load_config(write(tmp_path, text))


class Seen:
    def __init__(self) -> None:
        self.items: list[object] = []
        self._cond = threading.Condition()

    def add(self, item: object) -> None:
        with self._cond:
            self.items.append(item)
            self._cond.notify_all()

    def wait(self, predicate: Callable[[], bool]) -> None:
        with self._cond:
            assert self._cond.wait_for(predicate, WAIT), f"timed out; saw {self.items}"


def devices(tmp_path: Path, queue: QueueConfig | None) -> DevicesConfig:
    return DevicesConfig(
        idcard=IdCardConfig(port=str(tmp_path / "ttyNOIDCARD")),
        printer=PrinterConfig(port=str(tmp_path / "ttyNOPRINTER"), status_poll_s=60),
        queue=queue,
    )


def test_the_hub_runs_the_queue_device(tmp_path: Path) -> None:
    with QueueSimulator(baud=9600) as sim:
        config = devices(tmp_path, QueueConfig(port=sim.port, status_poll_s=0.2))
        hub = DeviceHub(config, post=lambda fn: fn())  # listeners run at once, on any thread
        seen = Seen()
        hub.status_changed.subscribe(seen.add)
        hub.queue_events.subscribe(seen.add)
        assert hub.statuses["queue"].state is DeviceState.STARTING
        hub.start()
        try:
            seen.wait(lambda: hub.statuses["queue"].state is DeviceState.ONLINE)
            assert hub.queue is not None and hub.queue.take_ticket(1).text == "A001"
            sim.press_key(2, 1)
            seen.wait(lambda: Event(Cmd.KEY_EVENT, 2, 1) in seen.items)
            sim.paper = "out"
            seen.wait(lambda: hub.statuses["queue"].state is DeviceState.USER_ERROR)
            assert hub.statuses["queue"].detail_zh == "取号纸已用完"
            assert any(isinstance(s, DeviceStatus) and s.device == "queue" for s in seen.items)
        finally:
            hub.stop()


def test_without_a_queue_section_there_is_no_queue_device(tmp_path: Path) -> None:
    hub = DeviceHub(devices(tmp_path, None), post=lambda fn: fn())
    assert hub.queue is None and set(hub.statuses) == {"idcard", "printer"}


def test_simulate_starts_a_queue_simulator_when_configured(tmp_path: Path) -> None:
    from ui.simulate import start_simulators

    text = with_queue(EXAMPLE.read_text()).replace('data_dir = "var"', f'data_dir = "{tmp_path}"')
    config, sims = start_simulators(load_config(write(tmp_path, text)))
    try:
        assert sims.queue is not None and sims.queue.addr == 3
        assert config.devices.queue is not None and config.devices.queue.port == sims.queue.port
        assert Path(sims.queue.port).exists()
    finally:
        sims.stop()
    assert not sims.queue.running
