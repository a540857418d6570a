"""交管's answers for the citizen being served: held by the session, wiped with it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from common.privacy import personal
from kiosk.departments.traffic.service import Licence, Order


@personal  # nothing personal in logs
@dataclass(frozen=True)
class Payment:
    """A fine being paid: the order whose QR code the payment screen shows."""

    key: str
    act_zh: str
    act_en: str
    order: Order
    trouble: bool = False  # the last poll failed: the screen says it keeps checking
    shown_at: float = 0.0  # when the QR code went up (the flow's clock)


@personal  # the plate and the VIN live in ``job``
@dataclass(frozen=True)
class ViolationQuery:
    """How the violation list was asked for: to list it again after a payment."""

    service: str  # "traffic.violations_by_plate"
    job: Callable[[str], Any]  # (id_number) → Violations
    back: str  # the screen "back" leads to from the list
    errors: dict[str, str]


@personal
@dataclass
class TrafficState:
    licence: Licence | None = None
    violations: ViolationQuery | None = None
    payment: Payment | None = None  # the one on the payment screen
