"""What happens when the citizen acts: the glue between session, devices and services.

No Kivy here. The app gives it ``post`` (run on the UI thread) and a ``Navigator``
(show a screen, refresh what is shown); everything slow runs on the worker.
"""

from __future__ import annotations

import logging
from typing import Protocol

from drivers.device import DeviceStatus
from drivers.idcard.protocol import IdCard
from kiosk.config import KioskConfig
from kiosk.printing.render import render_certificate
from kiosk.services.gateway import ServiceError
from kiosk.services.ratings import RatingService
from kiosk.services.social_security import SocialSecurityService
from kiosk.session import Citizen, Phase, Session
from kiosk.worker import Worker

log = logging.getLogger(__name__)


class Navigator(Protocol):
    def show(self, screen: str) -> None: ...
    def refresh(self) -> None: ...


class Devices(Protocol):
    """What the controller needs of the device hub."""

    @property
    def statuses(self) -> dict[str, DeviceStatus]: ...
    def print_image(self, image) -> None: ...
    def rearm_card(self) -> None: ...


class KioskController:
    def __init__(
        self,
        config: KioskConfig,
        session: Session,
        worker: Worker,
        social_security: SocialSecurityService,
        ratings: RatingService,
        devices: Devices,
    ):
        self.config = config
        self.session = session
        self._worker = worker
        self._ss = social_security
        self._ratings = ratings
        self.devices = devices
        self.nav: Navigator | None = None
        # What the current screen shows besides session data: "loading", an error key...
        self.notice: str = ""
        self.print_state: str = ""  # "", "printing", "done", "failed"
        self.out_of_service = False  # set remotely: no new session may start
        session.subscribe(self._on_phase)

    # -- navigation follows the session --------------------------------------
    def _on_phase(self, old: Phase, new: Phase) -> None:
        screen = {
            Phase.IDLE: "attract",
            Phase.IDENTIFYING: "identify",
            Phase.RATING: "rating",
            Phase.ENDED: "ended",
        }.get(new)
        if new is Phase.IN_SERVICE and old is Phase.IDENTIFYING:
            screen = "home"
        if new in (Phase.ENDED, Phase.IDLE):
            self.notice = ""
            self.print_state = ""
        if screen and self.nav:
            self.nav.show(screen)
        elif self.nav:
            self.nav.refresh()

    # -- citizen actions (UI thread) -------------------------------------------
    def start(self) -> None:
        if self.session.phase is Phase.IDLE and not self.out_of_service:
            self.session.start()
            self.devices.rearm_card()

    def card_read(self, card: IdCard) -> None:
        if self.session.phase is not Phase.IDENTIFYING:
            return  # a card left on the reader outside identification is ignored
        self.session.identified(Citizen(card.name, card.id_number, card.sex, card.birth))

    def open_social_security(self) -> None:
        citizen = self.session.citizen
        if citizen is None:
            return
        self.session.choose("ss_insurance")
        self.session.results.pop("insurance", None)
        self.notice = "common.loading"
        if self.nav:
            self.nav.show("ss_status")
        self._worker.run(
            lambda: self._ss.insurance_status(citizen.id_number),
            self._insurance_arrived,
            self._service_failed,
        )

    def _insurance_arrived(self, status) -> None:
        if self.session.citizen is None:
            return  # the session ended while we waited: drop the answer
        self.session.results["insurance"] = status
        self.notice = ""
        self._refresh()

    def _service_failed(self, exc: Exception) -> None:
        if self.session.citizen is None:
            return
        kind = exc.kind if isinstance(exc, ServiceError) else "error"
        self.notice = "ss.not_found" if kind == "not_found" else "ss.error"
        self._refresh()

    def print_certificate(self) -> None:
        citizen = self.session.citizen
        if citizen is None or self.session.phase is not Phase.IN_SERVICE:
            return
        self.session.begin_printing()
        self.print_state = "printing"
        if self.nav:
            self.nav.show("printing")
        font = str(self.config.display.font)
        width = self.config.devices.printer.width_dots

        def job() -> None:
            cert = self._ss.issue_certificate(citizen.id_number)
            self.devices.print_image(render_certificate(cert, font, width=width))

        self._worker.run(job, self._printed, self._print_failed)

    def _printed(self, _result: None) -> None:
        if self.session.phase is Phase.PRINTING:
            self.print_state = "done"
            self.session.printing_done()

    def _print_failed(self, exc: Exception) -> None:
        log.warning("printing failed: %s", type(exc).__name__)
        if self.session.phase is Phase.PRINTING:
            self.print_state = "failed"
            self.notice = "ss.error" if isinstance(exc, ServiceError) else "print.printer_down"
            self.session.printing_done()

    def finish(self) -> None:
        if self.session.phase in (Phase.IN_SERVICE, Phase.PRINTING):
            self.session.finish()

    def rate(self, score: int) -> None:
        service = self.session.service or "none"
        self.session.rate(score)
        terminal = self.config.terminal.id
        self._worker.run(
            lambda: self._ratings.submit(terminal, service, score, []),
            lambda _r: None,
            lambda exc: log.warning("rating not delivered: %s", type(exc).__name__),
        )

    def cancel(self) -> None:
        self.session.end("cancelled")

    def _refresh(self) -> None:
        if self.nav:
            self.nav.refresh()
