"""``--simulate``: the built-in device simulators on real ptys, wired into the config.

The simulated ID cards are the demo back end's fictitious citizens, so a demo card
finds its records.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from smartcard import scard

from backend.citizens import DEMO_CITIZENS
from backend.seed.queue import BUSINESS as QUEUE_BUSINESS
from drivers.idcard.protocol import IdCard
from drivers.idcard.simulator import IdCardSimulator
from drivers.printer.simulator import PrinterSimulator
from drivers.queue.simulator import QueueSimulator
from drivers.sscard.protocol import SocialSecurityCard
from drivers.sscard.simulator import SimulatedCard
from drivers.sscard.vpcd import VPCD_PORT, VirtualCard
from kiosk.config import KioskConfig

log = logging.getLogger(__name__)


def demo_cards() -> list[IdCard]:
    return [
        IdCard(
            name=c.name, sex=c.sex, nation=c.nation, birth=c.birth, address=c.address,
            id_number=c.id_number, authority=c.authority,
            valid_from=c.valid_from, valid_to=c.valid_to,
        )
        for c in DEMO_CITIZENS
    ]


def demo_sscards() -> list[SocialSecurityCard]:
    """The same fictitious citizens on social security cards (their ID number is the SSN)."""
    return [
        SocialSecurityCard(
            card_id=f"{c.id_number[:6]}D156000005{i:016X}", card_type="3", spec_version="3.00",
            issuing_org=c.id_number[:6], issue_date="20240101", expiry_date="20340101",
            card_number=f"D{i:08d}", ssn=c.id_number, name=c.name, sex=c.sex, nation=c.nation,
            birthplace=c.id_number[:6], birth_date=c.birth,
        )
        for i, c in enumerate(DEMO_CITIZENS, start=1)
    ]


def pcscd_problem() -> str:
    """Why the social security card cannot join the demo ("" when it can)."""
    hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hr != 0:
        return "pcscd is not running"
    try:
        hr, readers = scard.SCardListReaders(ctx, [])
        return "" if hr == 0 and readers else "pcscd has no reader (vsmartcard-vpcd missing?)"
    finally:
        scard.SCardReleaseContext(ctx)


@dataclass
class Simulators:
    idcard: IdCardSimulator
    printer: PrinterSimulator
    cards: list[IdCard]
    queue: QueueSimulator | None = None  # only when [devices.queue] is configured
    sscards: list[VirtualCard] = field(default_factory=list)  # not inserted: .insert() one
    tags: list[str] = field(default_factory=list)  # per card: what the demo calls it

    def stop(self) -> None:
        self.idcard.stop()
        self.printer.stop()
        if self.queue is not None:
            self.queue.stop()
        for card in self.sscards:
            if card.inserted:
                card.remove()


def start_simulators(
    config: KioskConfig, vpcd_port: int = VPCD_PORT
) -> tuple[KioskConfig, Simulators]:
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
        "printer": config.devices.printer.model_copy(
            update={"port": printer.port, "connection": "serial"}),
    }
    queue = None
    if config.devices.queue is not None:
        queue = QueueSimulator(addr=config.devices.queue.address, baud=config.devices.queue.baud)
        # The demo hall's lines as the back end counts them, so a ticket's "ahead of you"
        # agrees with the list the citizen picked from.
        queue.prefill({code: waiting for code, *_rest, waiting in QUEUE_BUSINESS})
        queue.start()
        update["queue"] = config.devices.queue.model_copy(update={"port": queue.port})
    sscards: list[VirtualCard] = []
    if config.devices.sscard is not None:
        problem = pcscd_problem()
        if problem:  # the demo runs without it rather than not at all
            log.warning("sscard: %s: the social security card reader is left out of this demo "
                        "(start pcscd with vsmartcard-vpcd to include it)", problem)
            update["sscard"] = None
        else:
            sscards = [VirtualCard(SimulatedCard(c), port=vpcd_port) for c in demo_sscards()]
    devices = config.devices.model_copy(update=update)
    return config.model_copy(update={"devices": devices}), Simulators(
        idcard, printer, demo_cards(), queue, sscards, [c.demo_tag for c in DEMO_CITIZENS]
    )
