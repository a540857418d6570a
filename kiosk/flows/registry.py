"""The department flows beyond 社保, each over its own breaker: one call for the app."""

from __future__ import annotations

from kiosk.controller import KioskController
from kiosk.flows.housing_fund import HousingFundFlow
from kiosk.services.breaker import BreakerBoard, DepartmentClient
from kiosk.services.gateway import BackendClient
from kiosk.services.housing_fund import HousingFundService

# Departments with a breaker (and a /health the prober asks), besides social-security.
DEPARTMENTS = ("housing-fund",)


def register_flows(ctl: KioskController, client: BackendClient, board: BreakerBoard) -> None:
    """Add every flow to ``ctl.flows``, under the key the home tiles use."""
    ctl.flows["hf"] = HousingFundFlow(
        ctl, HousingFundService(DepartmentClient(client, "housing-fund", board))
    )
