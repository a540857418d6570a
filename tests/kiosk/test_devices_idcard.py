"""The hub hands the reader's events on: cards, statuses and failed reads."""

from __future__ import annotations

import threading
from pathlib import Path

from drivers.device import DeviceState
from drivers.idcard.link import IdCardError
from drivers.idcard.simulator import IdCardSimulator
from kiosk.config import DevicesConfig, IdCardConfig, PrinterConfig
from kiosk.devices import DeviceHub
from ui.simulate import demo_cards

WAIT = 8.0


def test_a_card_taken_away_mid_read_reaches_the_listeners(tmp_path: Path) -> None:
    card = demo_cards()[0]
    seen: list[object] = []
    cond = threading.Condition()

    def add(item: object) -> None:
        with cond:
            seen.append(item)
            cond.notify_all()

    def notify() -> None:
        with cond:
            cond.notify_all()

    with IdCardSimulator() as sim:
        config = DevicesConfig(
            idcard=IdCardConfig(port=sim.port),
            printer=PrinterConfig(port=str(tmp_path / "ttyNOPRINTER"), status_poll_s=60),
        )
        hub = DeviceHub(config, post=lambda fn: fn())
        hub.card_read.subscribe(add)
        hub.read_failed.subscribe(add)
        hub.status_changed.subscribe(lambda _status: notify())
        hub.start()
        try:
            with cond:
                assert cond.wait_for(
                    lambda: hub.statuses["idcard"].state is DeviceState.ONLINE, WAIT
                )
            sim.fail_next_read("vanish")
            sim.insert(card)
            with cond:
                assert cond.wait_for(lambda: len(seen) == 1, WAIT)
            error = seen[0]
            assert isinstance(error, IdCardError) and error.kind == "removed"
            assert error.detail.zh == "读卡过程中卡片被移开，请重新放卡"
            sim.insert(card)
            with cond:
                assert cond.wait_for(lambda: len(seen) == 2, WAIT)
            assert seen[1] == card
        finally:
            hub.stop()
