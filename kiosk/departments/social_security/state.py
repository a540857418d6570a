"""社保's answers for the citizen being served: held by the session, wiped with it."""

from __future__ import annotations

from dataclasses import dataclass

from common.privacy import personal
from kiosk.departments.social_security.service import InsuranceStatus


@personal
@dataclass
class SocialSecurityState:
    insurance: InsuranceStatus | None = None  # None: not asked yet, or on its way
