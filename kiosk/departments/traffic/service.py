"""交管: licence points and validity, violations (by plate + VIN or by licence) and
payment orders for fines, as typed values. Plates travel in POST bodies only."""

from __future__ import annotations

from pydantic import BaseModel

from kiosk.printing.certificate import Certificate
from kiosk.services.certificates import certificate_from
from kiosk.services.gateway import BackendClient, parse
from kiosk.services.values import PersonalValue

BASE = "/api/v1/traffic"
PAYMENTS = f"{BASE}/payments"


class Licence(PersonalValue):
    holder_name: str
    licence_no_masked: str
    licence_class: str
    first_issued: str
    valid_from: str
    valid_to: str
    status: str  # "valid" | "expiring" | "expired"
    status_zh: str
    status_en: str
    points_deducted: int
    points_left: int
    probation: bool


class Violation(PersonalValue):
    ref: str  # 处罚决定书编号
    plate_masked: str
    occurred_at: str
    place: str
    place_en: str = ""  # "" from a back end that sends no English
    act_zh: str
    act_en: str
    points: int
    fine_fen: int
    status: str  # "unpaid" | "paid" | "unprocessed"
    paid_order: str | None = None

    @property
    def payable(self) -> bool:
        return self.status == "unpaid"


class Violations(PersonalValue):
    holder_name: str
    violations: tuple[Violation, ...]  # open ones first


class Order(BaseModel, frozen=True):
    """A payment order: nothing personal (a random id, an amount)."""

    order_id: str
    amount_fen: int
    status: str  # "pending" | "paid" | "cancelled" | "expired"
    pay_url: str
    expires_at: str
    paid_at: str | None = None


class TrafficService:
    """Every call raises ServiceError. ``not_found``: no licence, no such vehicle (plate
    and VIN must both match), no such order. ``rejected`` (409) from ``create_order``:
    already paid, or to be processed at a counter first."""

    def __init__(self, client: BackendClient) -> None:
        self._client = client

    def licence(self, id_number: str) -> Licence:
        data = self._client.post_json(f"{BASE}/licence", {"id_number": id_number})
        return parse(Licence, data, "driving licence")

    def violations_by_plate(self, plate: str, vin_last6: str) -> Violations:
        data = self._client.post_json(f"{BASE}/violations/by-plate",
                                      {"plate": plate, "vin_last6": vin_last6})
        return parse(Violations, data, "violations")

    def violations_by_licence(self, id_number: str) -> Violations:
        data = self._client.post_json(f"{BASE}/violations/by-licence", {"id_number": id_number})
        return parse(Violations, data, "violations")

    def create_order(self, violation_ref: str, idempotency_key: str) -> Order:
        data = self._client.post_json(
            PAYMENTS, {"violation_ref": violation_ref, "idempotency_key": idempotency_key})
        return parse(Order, data, "payment order")

    def find_order(self, idempotency_key: str) -> Order:
        data = self._client.post_json(f"{PAYMENTS}/lookup", {"idempotency_key": idempotency_key})
        return parse(Order, data, "payment order")

    def order_status(self, order_id: str) -> Order:
        data = self._client.post_json(f"{PAYMENTS}/status", {"order_id": order_id})
        return parse(Order, data, "payment order")

    def cancel_order(self, order_id: str) -> Order:
        data = self._client.post_json(f"{PAYMENTS}/cancel", {"order_id": order_id})
        return parse(Order, data, "payment order")

    def receipt(self, order_id: str) -> Certificate:
        data = self._client.post_json(f"{PAYMENTS}/receipt", {"order_id": order_id})
        return certificate_from(data, "fine receipt")
