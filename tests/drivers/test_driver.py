"""The driver contract: one thread each, start/stop/rearm alike, status on a topic."""

from __future__ import annotations

import logging
import threading

import pytest

from drivers.device import DeviceState, DeviceStatus
from drivers.driver import Driver
from drivers.idcard.reader import IdCardReader
from drivers.printer.device import PrinterDevice
from drivers.queue.driver import QueueDevice
from drivers.sscard.reader import SocialSecurityCardReader

log = logging.getLogger("test.driver")


class Ticking(Driver):
    """A device that goes online, then waits to be woken; counts what the contract did."""

    thread_name = "ticking"

    def __init__(self) -> None:
        super().__init__("ticking", log=log)
        self.runs = self.wakes = self.released = 0
        self.woken = threading.Event()

    def _starting(self) -> None:
        self.runs += 1

    def _wake(self) -> None:
        self.wakes += 1
        self.woken.set()

    def _released(self) -> None:
        self.released += 1

    def _run(self) -> None:
        self._status.set(DeviceState.ONLINE)
        while not self._stop.is_set():
            self.woken.wait(0.05)
            self.woken.clear()


def test_start_runs_one_thread_stop_ends_it_and_releases_the_device() -> None:
    seen: list[DeviceStatus] = []
    driver = Ticking()
    driver.status_changed.subscribe(seen.append)
    assert driver.status.state is DeviceState.STARTING and not driver.running
    driver.start()
    driver.start()  # a second start while it runs does nothing
    assert driver.runs == 1 and driver.running
    assert sum(t.name == "ticking" for t in threading.enumerate()) == 1
    driver.stop()
    assert not driver.running and driver.released == 1
    assert [s.state for s in seen] == [DeviceState.ONLINE]
    driver.start()  # again after a stop
    assert driver.runs == 2 and driver.running
    driver.stop()


def test_rearm_wakes_the_thread() -> None:
    driver = Ticking()
    driver.rearm()
    assert driver.wakes == 1


def test_stop_from_a_listener_on_the_driver_thread_does_not_deadlock() -> None:
    driver = Ticking()
    driver.status_changed.subscribe(lambda _s: driver.stop())
    driver.start()
    for _ in range(100):
        if not driver.running:
            break
        threading.Event().wait(0.02)
    assert not driver.running


@pytest.mark.parametrize("cls", [IdCardReader, SocialSecurityCardReader, PrinterDevice,
                                 QueueDevice])
def test_all_four_devices_keep_the_one_contract(cls: type) -> None:
    assert issubclass(cls, Driver)
    for name in ("start", "stop", "rearm", "status", "status_changed"):
        assert getattr(cls, name) is not None
    assert cls.thread_name != Driver.thread_name  # each names its own thread
