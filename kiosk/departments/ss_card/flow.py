"""社保卡: the card's status, and a temporary loss report (临时挂失) after a confirmation.

Never reported twice: the idempotency key (one per session) is stored before the
report is sent (``kiosk/loss_reports.py``), and when the answer is lost (timeout,
garbage) the kiosk asks the card's status instead of sending the report again: a card
now reported lost means the report arrived; one still in normal use means it did not,
and the citizen may send it again under the same key. The screen follows ``step``.
"""

from __future__ import annotations

import time

from kiosk.controller import KioskController
from kiosk.declaration import Wiring
from kiosk.departments.ss_card.loss_reports import LossReportStore, idempotency_key
from kiosk.departments.ss_card.service import CardStatus, SocialSecurityCardService
from kiosk.departments.ss_card.state import CardState, CardStep
from kiosk.services.gateway import ServiceError

LOSS_REPORTS_FILE = "loss-reports.sqlite"
ERRORS = {"not_found": "sscard.no_card", "default": "sscard.error"}
SERVICE_REPORT = "ss.card_loss_report"


class SocialSecurityCardFlow:

    def __init__(self, ctl: KioskController, service: SocialSecurityCardService,
                 store: LossReportStore) -> None:
        self.ctl = ctl
        self.service = service
        self.store = store

    @property
    def state(self) -> CardState:
        return self.ctl.session.state(CardState)

    @property
    def step(self) -> CardStep:
        return self.state.step

    def _go(self, step: CardStep) -> None:
        self.state.step = step
        if self.ctl.nav:
            self.ctl.nav.refresh()

    def open(self) -> None:
        """The card's status, asked afresh (also what "ask again" does)."""
        self.state.card = None
        self.ctl.query("ss.card_status", "ss_card", self.service.status, self._keep, ERRORS)
        self.state.step = CardStep("status")

    def _keep(self, card: CardStatus) -> None:
        self.state.card = card

    def ask_report(self) -> None:
        card = self.state.card
        if card is not None and card.can_report_loss:
            self._go(CardStep("confirm"))

    def cancel_report(self) -> None:
        if self.step.name == "confirm":
            self._go(CardStep("status"))

    def confirm_report(self) -> None:
        """Send the report (once confirmed); the outcome becomes the next step."""
        citizen = self.ctl.session.citizen
        if citizen is None or self.step.name not in ("confirm", "not_done"):
            return
        self.ctl.session.choose(SERVICE_REPORT)
        key = idempotency_key(self.ctl.session.ref)
        ref, id_number = self.ctl.session.ref, citizen.id_number
        self._go(CardStep("sending"))

        def job() -> tuple[CardStep, CardStatus | None]:
            started = time.monotonic()
            step, card = self._report(id_number, key)
            self.ctl.journal.record(ref, SERVICE_REPORT, _OUTCOMES.get(step.name, step.name),
                                    time.monotonic() - started)
            return step, card

        def done(outcome: tuple[CardStep, CardStatus | None]) -> None:
            step, card = outcome
            if card is not None:
                self.state.card = card
            self._go(step)

        self.ctl.background(job, done, lambda _exc: self._go(CardStep("unknown")))

    def _report(self, id_number: str, key: str) -> tuple[CardStep, CardStatus | None]:
        """Worker thread: report, and if the answer is lost, find out from the status."""
        self.store.request(key)  # before the report leaves the kiosk
        try:
            report = self.service.report_loss(id_number, key)
        except ServiceError as exc:
            if exc.kind in ("rejected", "not_found"):  # answered: nothing was reported
                self.store.settle(key, "refused")
                return CardStep("refused"), self._status_or_none(id_number)
            if exc.kind == "unavailable":  # never reached the back end
                self.store.settle(key, "not_done")
                return CardStep("down"), None
            return self._find_out(id_number, key)  # timeout, garbage: it may have arrived
        self.store.settle(key, "reported", report.report_ref)
        return CardStep("reported", report.report_ref, report.reported_at), report.card

    def _find_out(self, id_number: str, key: str) -> tuple[CardStep, CardStatus | None]:
        card = self._status_or_none(id_number)
        if card is None:
            self.store.settle(key, "unknown")
            return CardStep("unknown"), None
        if card.status == "temp_loss":
            self.store.settle(key, "reported")
            return CardStep("reported", "", card.status_since), card
        self.store.settle(key, "not_done")  # not arrived (yet): the same key may be sent again
        return CardStep("not_done"), card

    def _status_or_none(self, id_number: str) -> CardStatus | None:
        try:
            return self.service.status(id_number)
        except ServiceError:
            return None


_OUTCOMES = {"reported": "ok", "down": "unavailable"}


def build(wiring: Wiring) -> SocialSecurityCardFlow:
    reports = LossReportStore(wiring.data_dir / LOSS_REPORTS_FILE)
    return SocialSecurityCardFlow(wiring.ctl, SocialSecurityCardService(wiring.client), reports)
