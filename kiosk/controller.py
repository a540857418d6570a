"""What happens when the citizen acts: the glue between session, devices and services.

No Kivy here. The app gives it ``post`` (run on the UI thread) and a ``Navigator``
(show a screen, refresh what is shown); everything slow runs on the worker.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

from drivers.device import DeviceStatus
from drivers.idcard.protocol import IdCard
from kiosk.config import KioskConfig
from kiosk.journal import Journal
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
        journal: Journal,
    ):
        self.config = config
        self.session = session
        self._worker = worker
        self._ss = social_security
        self._ratings = ratings
        self.devices = devices
        self._journal = journal
        self.nav: Navigator | None = None
        # What the current screen shows besides session data: "loading", an error key...
        self.notice: str = ""
        self.print_state: str = ""  # "", "printing", "done", "failed"
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
        if self.session.phase is Phase.IDLE:
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
        self.session.choose("ss.insurance_status")
        self.session.results.pop("insurance", None)
        self.notice = "common.loading"
        if self.nav:
            self.nav.show("ss_status")
        self._worker.run(
            self._journaled("ss.insurance_status", self._ss.insurance_status, citizen.id_number),
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
        self.session.choose("ss.certificate")  # what the rating will be about
        self.session.begin_printing()
        self.print_state = "printing"
        if self.nav:
            self.nav.show("printing")
        font = str(self.config.display.font)
        width = self.config.devices.printer.width_dots

        def job(id_number: str) -> None:
            cert = self._ss.issue_certificate(id_number)
            self.devices.print_image(render_certificate(cert, font, width=width))

        self._worker.run(
            self._journaled("ss.certificate", job, citizen.id_number),
            self._printed,
            self._print_failed,
        )

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
        service, ref = self.session.service or "none", self.session.ref
        self.session.rate(score)

        def journal_and_send() -> None:
            self._journal.rate(ref, service, score, [])
            self.deliver_ratings()

        self._worker.run(journal_and_send, lambda _r: None, self._journal_failed)

    def deliver_ratings(self) -> None:
        """Worker thread: send journaled ratings the back end has not taken yet."""
        terminal = self.config.terminal.id
        for rating in self._journal.pending_ratings():
            try:
                self._ratings.submit(
                    terminal, rating.service, rating.score, rating.reasons,
                    rating_ref=rating.session_ref,
                )
            except ServiceError as exc:
                log.info("ratings wait in the journal: back end %s", exc.kind)
                return
            self._journal.delivered(rating.id)

    def _journaled(self, service: str, job, *args):
        """``job`` for the worker, journaling its outcome before the citizen sees it."""
        ref = self.session.ref

        def run():
            started = time.monotonic()
            outcome = "failed"
            try:
                result = job(*args)
                outcome = "ok"
                return result
            except ServiceError as exc:
                outcome = exc.kind
                raise
            finally:
                self._journal.record(ref, service, outcome, time.monotonic() - started)

        return run

    @staticmethod
    def _journal_failed(exc: Exception) -> None:
        log.error("journal or rating delivery failed: %s", type(exc).__name__)

    def cancel(self) -> None:
        self.session.end("cancelled")

    def _refresh(self) -> None:
        if self.nav:
            self.nav.refresh()
