"""排队取号's answers for the citizen being served: held by the session, wiped with it."""

from __future__ import annotations

from dataclasses import dataclass

from common.privacy import personal
from drivers.events import Detail
from kiosk.departments.queue.service import BusinessType
from kiosk.printing.ticket import QueueTicket


@dataclass(frozen=True)
class TicketOutcome:
    ticket: QueueTicket | None  # None: the device issued no number
    business: BusinessType
    printed: bool = False
    problem: Detail | None = None  # the device's reason for issuing no number


@personal
@dataclass
class QueueState:
    types: tuple[BusinessType, ...] | None = None  # the business types shown
    taking: bool = False  # a number is being taken: a second tap does nothing
    outcome: TicketOutcome | None = None  # the ticket, or why there is none
