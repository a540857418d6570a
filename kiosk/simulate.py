"""``--simulate``: the built-in device simulators on real ptys, wired into the config.

The simulated ID cards are the demo back end's fictitious citizens, so a demo card
finds its records.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from backend.citizens import DEMO_CITIZENS
from drivers.idcard.protocol import IdCard
from drivers.idcard.simulator import IdCardSimulator
from drivers.printer.simulator import PrinterSimulator
from drivers.queue.simulator import QueueSimulator
from kiosk.config import KioskConfig


def demo_cards() -> list[IdCard]:
    return [
        IdCard(
            name=c.name, sex=c.sex, nation=c.nation, birth=c.birth, address=c.address,
            id_number=c.id_number, authority=c.authority,
            valid_from=c.valid_from, valid_to=c.valid_to,
        )
        for c in DEMO_CITIZENS
    ]


@dataclass
class Simulators:
    idcard: IdCardSimulator
    printer: PrinterSimulator
    cards: list[IdCard]
    queue: QueueSimulator | None = None  # only when [devices.queue] is configured

    def stop(self) -> None:
        self.idcard.stop()
        self.printer.stop()
        if self.queue is not None:
            self.queue.stop()


def start_simulators(config: KioskConfig) -> tuple[KioskConfig, Simulators]:
    """Start the simulators and return a config whose device ports point at them."""
    # Paced at the configured baud rate: the demo shows the real wire time.
    idcard = IdCardSimulator(baud=config.devices.idcard.baud)
    idcard.start()
    printer = PrinterSimulator(
        Path(config.paths.data_dir) / "printer",
        baud=config.devices.printer.baud,
        width=config.devices.printer.width_dots,
        font_path=str(config.display.font),
    )
    printer.start()
    update = {
        "idcard": config.devices.idcard.model_copy(update={"port": idcard.port}),
        "printer": config.devices.printer.model_copy(update={"port": printer.port}),
    }
    queue = None
    if config.devices.queue is not None:
        queue = QueueSimulator(addr=config.devices.queue.address, baud=config.devices.queue.baud)
        queue.start()
        update["queue"] = config.devices.queue.model_copy(update={"port": queue.port})
    devices = config.devices.model_copy(update=update)
    return config.model_copy(update={"devices": devices}), Simulators(
        idcard, printer, demo_cards(), queue
    )
