"""The department flows beyond 社保, each over its own breaker: one call for the app."""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.controller import KioskController
from kiosk.flows.cases import CaseFlow
from kiosk.flows.guides import GuideFlow
from kiosk.flows.housing_fund import HousingFundFlow
from kiosk.flows.queue import QueueFlow
from kiosk.flows.ss_card import SocialSecurityCardFlow
from kiosk.flows.traffic import TrafficFlow
from kiosk.loss_reports import LossReportStore
from kiosk.payments import PaymentStore
from kiosk.services.breaker import BreakerBoard, DepartmentClient
from kiosk.services.cases import CaseService
from kiosk.services.gateway import BackendClient
from kiosk.services.guides import GuideService
from kiosk.services.housing_fund import HousingFundService
from kiosk.services.queue import QueueService
from kiosk.services.ss_card import SocialSecurityCardService
from kiosk.services.traffic import TrafficService

log = logging.getLogger(__name__)

# Departments with a breaker (and a /health the prober asks), besides social-security.
DEPARTMENTS = ("housing-fund", "traffic", "cases", "guides", "queue")
PAYMENTS_FILE = "payments.sqlite"
LOSS_REPORTS_FILE = "loss-reports.sqlite"


def register_flows(ctl: KioskController, client: BackendClient, board: BreakerBoard) -> None:
    """Add every flow to ``ctl.flows``, under the key the home tiles use."""
    def department(name: str) -> DepartmentClient:
        return DepartmentClient(client, name, board)

    ctl.flows["hf"] = HousingFundFlow(ctl, HousingFundService(department("housing-fund")))
    store = PaymentStore(Path(ctl.config.paths.data_dir) / PAYMENTS_FILE)
    ctl.flows["traffic"] = TrafficFlow(ctl, TrafficService(department("traffic")), store)
    ctl.flows["cases"] = CaseFlow(ctl, CaseService(department("cases")))
    ctl.flows["guides"] = GuideFlow(ctl, GuideService(department("guides")))
    ctl.flows["queue"] = QueueFlow(ctl, QueueService(department("queue")))
    reports = LossReportStore(Path(ctl.config.paths.data_dir) / LOSS_REPORTS_FILE)
    ctl.flows["ss_card"] = SocialSecurityCardFlow(
        ctl, SocialSecurityCardService(department("social-security")), reports)
    every_minute(ctl)  # at start-up: settle what the last run left unfinished


def every_minute(ctl: KioskController) -> None:
    """Background upkeep the app schedules: fine payments left unfinished."""
    traffic = ctl.flows.get("traffic")
    if traffic is not None:
        ctl.background(traffic.payment.reconcile, _settled, _not_yet, session_bound=False)


def _settled(outcome) -> None:
    if outcome:
        log.info("unfinished payments settled: %s", outcome)


def _not_yet(exc: Exception) -> None:
    log.info("unfinished payments wait: %s", type(exc).__name__)
