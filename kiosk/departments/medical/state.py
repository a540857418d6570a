"""医保's answers and steps for the citizen being served: held by the session, wiped
with it. Nothing here is shown by ``repr``."""

from __future__ import annotations

from dataclasses import dataclass, field

from common.privacy import personal
from kiosk.departments.medical.service import Filing, FilingOptions, MedicalStatus, Voucher


@personal
@dataclass(frozen=True)
class FilingDraft:
    """The 备案 form as the citizen fills it in: codes, and the start as YYYY-MM-DD."""

    city_code: str = ""
    reason: str = ""
    start_date: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.city_code and self.reason and self.start_date)


# "form" → "confirm" → "sending" → "filed" | "already" | "refused" | "not_done" |
# "unknown" | "down" (the filing never reached the back end)
STEPS = ("form", "confirm", "sending", "filed", "already", "refused", "not_done", "unknown",
         "down")


@personal
@dataclass(frozen=True)
class FilingStep:
    name: str = "form"
    filing: Filing | None = None  # the filing made, or the one already in force
    why: str = ""  # "refused": the back end's reason, in the citizen's words (zh|en pair)
    why_en: str = ""

    def __post_init__(self) -> None:
        if self.name not in STEPS:
            raise ValueError(f"unknown filing step {self.name!r}")


@personal
@dataclass
class MedicalState:
    status: MedicalStatus | None = None
    voucher: Voucher | None = None
    voucher_shown_at: float = 0.0  # the flow's clock, when the QR code went up
    options: FilingOptions | None = None
    draft: FilingDraft = field(default_factory=FilingDraft)
    step: FilingStep = field(default_factory=FilingStep)
