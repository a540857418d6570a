"""交管: driving licence points and validity, violations by plate + VIN or by licence,
and paying a fine (``fine_payment.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from common.privacy import mask_name
from kiosk.controller import KioskController
from kiosk.flows.fine_payment import FinePayment
from kiosk.i18n import local
from kiosk.payments import PaymentStore
from kiosk.plates import check_plate, format_plate, is_valid_vin6, normalize_plate
from kiosk.records import Listing, RecordsView, Row, Translate, show_records, yuan
from kiosk.services.traffic import TrafficService, Violations

LICENCE_KEY = "licence"
REQUERY_KEY = "traffic.requery"  # session.results: how to list the violations again
LICENCE_ERRORS = {"not_found": "traffic.no_licence", "default": "traffic.error"}
PLATE_ERRORS = {"not_found": "traffic.no_vehicle", "default": "traffic.error"}
STATE_TONES = {"unpaid": "warn", "unprocessed": "bad", "paid": "ok"}


class TrafficFlow:
    department = "traffic"

    def __init__(self, ctl: KioskController, service: TrafficService,
                 store: PaymentStore) -> None:
        self.ctl = ctl
        self.service = service
        self.payment = FinePayment(ctl, service, store)

    def open(self) -> None:
        self.ctl.query("traffic.licence", LICENCE_KEY, "traffic", self.service.licence,
                       LICENCE_ERRORS)

    def by_licence(self) -> None:
        self._list("traffic.violations_by_licence", self.service.violations_by_licence,
                   "traffic", LICENCE_ERRORS)

    def by_plate(self, plate: str, vin_last6: str) -> str:
        """Look the vehicle up; what is wrong with the input ("" if nothing), as a key."""
        check = check_plate(plate)
        if not check.ok:
            return f"plate.problem.{check.problem}"
        if not is_valid_vin6(vin_last6):
            return "plate.problem.vin"
        plate, vin = normalize_plate(plate), vin_last6.strip().upper()
        self._list("traffic.violations_by_plate",
                   lambda _id: self.service.violations_by_plate(plate, vin),
                   "plate_entry", PLATE_ERRORS)
        return ""

    def _list(self, service: str, job: Callable[[str], Any], back: str,
              errors: dict[str, str]) -> None:
        view = RecordsView("traffic.violations.title", present_violations, back=back,
                           act=self.act)
        # Kept in the session (wiped with it): the plate and VIN live in ``job``.
        self.ctl.session.results[REQUERY_KEY] = (service, job, back, errors)
        show_records(self.ctl, service, view, job, errors)

    def back_to_list(self) -> None:
        """From the payment screen: the list again, fresh from the back end."""
        again = self.ctl.session.results.get(REQUERY_KEY)
        if again:
            self._list(*again)
        elif self.ctl.nav:
            self.ctl.nav.show("traffic")

    def act(self, answer: Violations, index: int) -> None:
        """A violation's button: pay it, or print the receipt of its payment again."""
        violation = answer.violations[index]
        if violation.payable:
            self.payment.start(violation)
        elif violation.status == "paid" and violation.paid_order:
            self.payment.print_receipt(violation.paid_order)


def present_violations(v: Violations, t: Translate, lang: str) -> Listing:
    zh = lang == "zh"
    rows = []
    for x in v.violations:
        state = t(f"traffic.state.{x.status}")
        action = ("traffic.pay" if x.payable else
                  "traffic.reprint" if x.status == "paid" and x.paid_order else "")
        rows.append(Row(
            title=x.act_zh if zh else x.act_en,
            detail=t("traffic.violation.detail", when=x.occurred_at,
                     place=local(x.place, x.place_en, lang),
                     plate=format_plate(x.plate_masked), points=x.points, state=state),
            value=yuan(x.fine_fen),
            tone=STATE_TONES.get(x.status, ""),
            action=t(action) if action else "",
        ))
    unpaid = [x for x in v.violations if x.payable]
    summary = t("traffic.violations.summary", name=mask_name(v.holder_name), n=len(unpaid),
                amount=yuan(sum(x.fine_fen for x in unpaid)))
    if any(x.status == "unprocessed" for x in v.violations):
        summary += "\n" + t("traffic.unprocessed_hint")
    return Listing(summary, rows, empty=t("traffic.violations.none"))
