"""The hub drives every device through the one contract: a thread each, started,
re-armed and stopped alike, their events delivered through ``post``."""

from __future__ import annotations

import threading
from pathlib import Path

from drivers.device import DeviceState, DeviceStatus, PaperLevel
from drivers.printer.simulator import PrinterSimulator
from drivers.queue.simulator import QueueSimulator
from kiosk.config import DevicesConfig, IdCardConfig, PrinterConfig, QueueConfig
from kiosk.devices import DeviceHub
from tests.helpers.recorder import Recorder

THREADS = {"idcard-reader", "printer-status", "queue-device"}


def device_threads() -> set[str]:
    return {t.name for t in threading.enumerate()} & THREADS


def test_start_rearm_and_stop_work_alike_for_every_device(tmp_path: Path) -> None:
    with PrinterSimulator(tmp_path / "pages") as printer, QueueSimulator(baud=9600) as queue:
        config = DevicesConfig(
            idcard=IdCardConfig(port=str(tmp_path / "ttyNOIDCARD")),  # unplugged
            printer=PrinterConfig(port=printer.port, status_poll_s=60),
            queue=QueueConfig(port=queue.port, baud=9600, status_poll_s=60),
        )
        posted: list[str] = []

        def post(fn) -> None:  # stands in for the UI thread: records that it was used
            posted.append(threading.current_thread().name)
            fn()

        hub = DeviceHub(config, post, data_dir=tmp_path)
        seen: Recorder[DeviceStatus] = Recorder()
        hub.status_changed.subscribe(seen.add)
        assert device_threads() == set()
        hub.start()
        try:
            assert device_threads() == THREADS  # one thread per device
            seen.wait_for_last("all reported", lambda _s: (
                hub.statuses["printer"].state is DeviceState.ONLINE
                and hub.statuses["queue"].state is DeviceState.ONLINE
                and hub.statuses["idcard"].state is DeviceState.NO_DEVICE))
            assert hub.statuses["printer"].paper is PaperLevel.OK
            printer.paper = "near_end"
            hub.rearm_card()  # a session starts: the printer reports now, not in 60 s
            low = seen.wait_for_last("paper low", lambda s: s.paper is PaperLevel.LOW)
            assert low.device == "printer" and low.state is DeviceState.ONLINE
            assert posted and set(posted) <= THREADS  # each from its driver, through post
        finally:
            hub.stop()
        assert device_threads() == set()  # stopped alike, ports released
