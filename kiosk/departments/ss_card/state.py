"""社保卡's answers for the citizen being served: held by the session, wiped with it."""

from __future__ import annotations

from dataclasses import dataclass, field

from common.privacy import personal
from kiosk.departments.ss_card.service import CardStatus


@personal  # the report number stays out of logs
@dataclass(frozen=True)
class CardStep:
    # "status" | "confirm" | "sending" | "reported" | "not_done" | "unknown" | "refused"
    # | "down": the report never reached the back end
    name: str
    report_ref: str = ""
    reported_at: str = ""


@personal
@dataclass
class CardState:
    card: CardStatus | None = None  # the status shown
    step: CardStep = field(default_factory=lambda: CardStep("status"))
