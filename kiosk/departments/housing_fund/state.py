"""公积金's answers for the citizen being served: held by the session, wiped with it."""

from __future__ import annotations

from dataclasses import dataclass

from common.privacy import personal
from kiosk.departments.housing_fund.service import Account


@personal
@dataclass
class HousingFundState:
    account: Account | None = None  # None: not asked yet, or on its way
