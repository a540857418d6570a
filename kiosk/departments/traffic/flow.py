"""交管: driving licence points and validity, violations by plate + VIN or by licence,
and paying a fine (``fine_payment.py``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.controller import KioskController
from kiosk.declaration import Wiring
from kiosk.departments.traffic.fine_payment import FinePayment
from kiosk.departments.traffic.payments import PaymentStore
from kiosk.departments.traffic.plates import check_plate, is_valid_vin6, normalize_plate
from kiosk.departments.traffic.presenters import present_violations
from kiosk.departments.traffic.service import Licence, TrafficService, Violations
from kiosk.departments.traffic.state import TrafficState, ViolationQuery
from kiosk.records import RecordsView, show_records

log = logging.getLogger(__name__)
PAYMENTS_FILE = "payments.sqlite"
LICENCE_ERRORS = {"not_found": "traffic.no_licence", "default": "traffic.error"}
PLATE_ERRORS = {"not_found": "traffic.no_vehicle", "default": "traffic.error"}


class TrafficFlow:
    def __init__(self, ctl: KioskController, service: TrafficService,
                 store: PaymentStore) -> None:
        self.ctl = ctl
        self.service = service
        self.payment = FinePayment(ctl, service, store)

    @property
    def state(self) -> TrafficState:
        return self.ctl.session.state(TrafficState)

    def open(self) -> None:
        self.state.licence = None
        self.ctl.query("traffic.licence", "traffic", self.service.licence, self._keep,
                       LICENCE_ERRORS)

    def _keep(self, licence: Licence) -> None:
        self.state.licence = licence

    def by_licence(self) -> None:
        self._list(ViolationQuery("traffic.violations_by_licence",
                                  self.service.violations_by_licence, "traffic", LICENCE_ERRORS))

    def by_plate(self, plate: str, vin_last6: str) -> str:
        """Look the vehicle up; what is wrong with the input ("" if nothing), as a key."""
        check = check_plate(plate)
        if not check.ok:
            return f"plate.problem.{check.problem}"
        if not is_valid_vin6(vin_last6):
            return "plate.problem.vin"
        plate, vin = normalize_plate(plate), vin_last6.strip().upper()
        job: Callable[[str], Any] = lambda _id: self.service.violations_by_plate(plate, vin)  # noqa: E731
        self._list(ViolationQuery("traffic.violations_by_plate", job, "plate_entry",
                                  PLATE_ERRORS))
        return ""

    def _list(self, query: ViolationQuery) -> None:
        view = RecordsView("traffic.violations.title", present_violations, back=query.back,
                           act=self.act)
        self.state.violations = query  # kept in the session (wiped with it)
        show_records(self.ctl, query.service, view, query.job, query.errors)

    def back_to_list(self) -> None:
        """From the payment screen: the list again, fresh from the back end."""
        again = self.state.violations
        if again:
            self._list(again)
        elif self.ctl.nav:
            self.ctl.nav.show("traffic")

    def leave_payment(self) -> None:
        """The payment screen's one button: cancel the order while it is pending, else
        back to the list."""
        current = self.payment.current
        if current is not None and current.order.status == "pending":
            self.payment.cancel()
        else:
            self.back_to_list()

    def act(self, answer: Violations, index: int) -> None:
        """A violation's button: pay it, or print the receipt of its payment again."""
        violation = answer.violations[index]
        if violation.payable:
            self.payment.start(violation)
        elif violation.status == "paid" and violation.paid_order:
            self.payment.print_receipt(violation.paid_order)

    def every_minute(self) -> None:
        """Background upkeep: fine payments left unfinished (also at start-up)."""
        self.ctl.background(self.payment.reconcile, _settled, _not_yet, session_bound=False)


def _settled(outcome: dict[str, int]) -> None:
    if outcome:
        log.info("unfinished payments settled: %s", outcome)


def _not_yet(exc: Exception) -> None:
    log.info("unfinished payments wait: %s", type(exc).__name__)


def build(wiring: Wiring) -> TrafficFlow:
    store = PaymentStore(wiring.data_dir / PAYMENTS_FILE)
    flow = TrafficFlow(wiring.ctl, TrafficService(wiring.client), store)
    flow.every_minute()  # at start-up: settle what the last run left unfinished
    return flow
