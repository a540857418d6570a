"""The loss report's logic: confirmed first, stored before sent, and a lost answer
settled by asking the card's status, never by reporting again (a fake service)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.controller import KioskController
from kiosk.departments.ss_card.flow import SocialSecurityCardFlow
from kiosk.departments.ss_card.loss_reports import LossReportStore, idempotency_key
from kiosk.departments.ss_card.service import CardStatus, LossReport
from kiosk.departments.ss_card.state import CardState
from kiosk.journal import Journal
from kiosk.services.gateway import ServiceError
from kiosk.session import Citizen, Session
from tests.helpers.workers import InlineWorker

REPO = Path(__file__).resolve().parents[4]
ID = "440305198301191231"


def card(status: str = "normal") -> CardStatus:
    return CardStatus(holder_name="吴常规", card_no_masked="D440****9", status=status,
                      status_zh="", status_en="", note_zh="", note_en="", bank_zh="",
                      bank_en="", issued_on="2006-04-17", status_since="2026-11-22 20:15",
                      can_report_loss=status == "normal")


class FakeCards:
    """Answers as scripted: ``report`` and ``status`` are lists of answers or errors."""

    def __init__(self, report: list, status: list) -> None:
        self.report, self.status_answers = report, status
        self.keys: list[str] = []

    def status(self, _id: str) -> CardStatus:
        answer = self.status_answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def report_loss(self, _id: str, key: str) -> LossReport:
        self.keys.append(key)
        answer = self.report.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def setup(tmp_path):
    def make(report: list, status: list):
        config = load_config(REPO / "config" / "kiosk.toml")
        session = Session(config.session)
        journal = Journal(tmp_path / "journal.sqlite")
        ctl = KioskController(config, session, InlineWorker(), None, None, journal)
        store = LossReportStore(tmp_path / "loss.sqlite")
        service = FakeCards(report, [card(), *status])
        flow = SocialSecurityCardFlow(ctl, service, store)
        session.start()
        session.identified(Citizen("吴常规", ID))
        flow.open()
        assert session.state(CardState).card.status == "normal"
        return flow, service, store, journal
    return make


def confirm(flow) -> str:
    flow.ask_report()
    assert flow.step.name == "confirm"
    flow.confirm_report()
    return flow.step.name


def test_nothing_is_sent_without_the_confirmation(setup):
    flow, service, *_ = setup([], [])
    flow.confirm_report()
    assert service.keys == [] and flow.step.name == "status"
    flow.ask_report()
    flow.cancel_report()
    assert flow.step.name == "status" and service.keys == []


def test_a_report_answered(setup):
    report = LossReport(report_ref="GS20261122000001", reported_at="2026-11-22 20:15",
                        card=card("temp_loss"))
    flow, service, store, journal = setup([report], [])
    assert confirm(flow) == "reported"
    key = idempotency_key(flow.ctl.session.ref)
    assert service.keys == [key] and store.state(key) == "reported"
    assert flow.step.report_ref == "GS20261122000001"
    assert flow.ctl.session.state(CardState).card.status == "temp_loss"
    stats = journal.stats()["ss.card_loss_report"]
    assert (stats["count"], stats["failed"]) == (1, 0)


@pytest.mark.parametrize(("status_after", "step", "stored"), [
    (card("temp_loss"), "reported", "reported"),  # it arrived: found by the status
    (card("normal"), "not_done", "not_done"),  # it did not: may be sent again
    (ServiceError("unavailable", "down"), "unknown", "unknown"),  # nobody can tell yet
])
def test_a_lost_answer_is_settled_by_the_status(setup, status_after, step, stored):
    flow, service, store, _ = setup([ServiceError("timeout", "slow")], [status_after])
    assert confirm(flow) == step
    assert len(service.keys) == 1  # asked the status, did not report again
    assert store.state(service.keys[0]) == stored


def test_sending_again_after_not_done_uses_the_same_key(setup):
    report = LossReport(report_ref="GS1", reported_at="x", card=card("temp_loss"))
    flow, service, *_ = setup([ServiceError("bad_response", "garbage"), report], [card()])
    assert confirm(flow) == "not_done"
    flow.confirm_report()
    assert flow.step.name == "reported"
    assert len(service.keys) == 2 and service.keys[0] == service.keys[1]


@pytest.mark.parametrize(("error", "step"), [
    (ServiceError("rejected", "409"), "refused"),
    (ServiceError("unavailable", "refused"), "down"),
])
def test_answered_refusals_and_unreachable_back_ends(setup, error, step):
    flow, service, store, journal = setup([error], [card("temp_loss")])
    assert confirm(flow) == step
    assert store.state(service.keys[0]) in ("refused", "not_done")
    assert journal.stats()["ss.card_loss_report"]["failed"] == 1
