"""医保's flow with a scripted service: a filing only after the confirmation, the same key
for the same form, a lost answer settled by the status, the voucher's countdown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.controller import KioskController
from kiosk.departments.medical.flow import MedicalFlow, filing_key
from kiosk.departments.medical.service import (
    Filing,
    FilingOptions,
    MedicalStatus,
    Option,
    Voucher,
)
from kiosk.departments.medical.state import FilingDraft, MedicalState
from kiosk.journal import Journal
from kiosk.services.gateway import ServiceError
from kiosk.session import Citizen, Session
from tests.helpers.workers import InlineWorker

REPO = Path(__file__).resolve().parents[4]
ID = "440305198301191231"
TODAY = date(2026, 11, 22)
FORM = FilingDraft("510100", "temporary", "2026-11-22")


def status(filing: Filing | None = None, state: str = "insured") -> MedicalStatus:
    return MedicalStatus(
        holder_name="吴常规", insured=state == "insured", scheme="employee", scheme_zh="",
        scheme_en="", category="working", category_zh="", category_en="", state=state,
        state_zh="", state_en="", note_zh="", note_en="", since="2006-02", place_zh="",
        place_en="", has_account=True, filing=filing)


def filing(city: str = "510100", ref: str = "BA20261122000001") -> Filing:
    return Filing(filing_ref=ref, city_code=city, city_zh="四川省成都市", city_en="Chengdu",
                  reason="temporary", reason_zh="临时外出就医", reason_en="Trip",
                  start_date="2026-11-22", end_date="2027-05-21", filed_at="2026-11-22 20:15")


OPTIONS = FilingOptions(cities=(Option(code="510100", name_zh="四川省成都市", name_en="C"),),
                        reasons=(Option(code="temporary", name_zh="临时外出就医", name_en="T"),),
                        max_days_ahead=90)


class FakeMedical:
    """``file`` and ``status`` answer as scripted (answers or errors, in order)."""

    def __init__(self, files: list, statuses: list) -> None:
        self.files, self.statuses = files, statuses
        self.keys: list[str] = []

    @staticmethod
    def _next(answers: list):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def status(self, _id: str) -> MedicalStatus:
        return self._next(self.statuses)

    def filing_options(self) -> FilingOptions:
        return OPTIONS

    def file(self, _id: str, key: str, city: str, reason: str, start: str) -> Filing:
        self.keys.append(key)
        return self._next(self.files)

    def voucher(self, _id: str) -> Voucher:
        return Voucher(qr_payload="https://mi.example.gov.cn/ec/activate?t=ABC",
                       expires_at="", valid_seconds=180)


@pytest.fixture
def setup(tmp_path):
    def make(files: list, statuses: list):
        config = load_config(REPO / "config" / "kiosk.toml")
        session = Session(config.session)
        journal = Journal(tmp_path / "journal.sqlite")
        ctl = KioskController(config, session, InlineWorker(), None, None, journal)
        service = FakeMedical(files, [status(), *statuses])
        now = [100.0]
        flow = MedicalFlow(ctl, service, clock=lambda: now[0], today=lambda: TODAY)
        session.start()
        session.identified(Citizen("吴常规", ID))
        flow.open()
        return flow, service, journal, now
    return make


def fill(flow: MedicalFlow) -> None:
    flow.start_filing()
    flow.choose_city(FORM.city_code)
    flow.choose_reason(FORM.reason)
    flow.review()
    assert flow.state.step.name == "form"  # no date yet: no confirmation
    flow.choose_start(FORM.start_date)
    flow.review()
    assert flow.state.step.name == "confirm"


def test_nothing_is_sent_without_the_confirmation(setup):
    flow, service, *_ = setup([], [])
    flow.confirm()
    assert service.keys == []
    fill(flow)
    flow.change()
    flow.confirm()
    assert service.keys == [] and flow.state.step.name == "form"


def test_a_filing_answered_updates_the_status(setup):
    flow, service, journal, _ = setup([filing()], [])
    fill(flow)
    flow.confirm()
    state = flow.ctl.session.state(MedicalState)
    assert state.step.name == "filed" and state.step.filing.filing_ref == "BA20261122000001"
    assert state.status.filing == filing()
    assert service.keys == [filing_key(flow.ctl.session.ref, FORM)]
    assert journal.stats()["mi.filing"]["count"] == 1
    flow.start_filing()  # filed: no second form
    assert state.step.name == "filed"


@pytest.mark.parametrize(("after", "step"), [
    (status(filing()), "filed"),  # it arrived: the status shows it
    (status(), "not_done"),  # it did not: may be sent again, same key
    (ServiceError("unavailable", "down"), "unknown"),  # nobody can tell yet
])
def test_a_lost_answer_is_settled_by_the_status(setup, after, step):
    flow, service, *_ = setup([ServiceError("timeout", "slow")], [after])
    fill(flow)
    flow.confirm()
    assert flow.state.step.name == step and len(service.keys) == 1


def test_sending_again_uses_the_same_key_and_a_changed_form_another(setup):
    flow, service, *_ = setup([ServiceError("bad_response", "garbage"), filing()], [status()])
    fill(flow)
    flow.confirm()
    assert flow.state.step.name == "not_done"
    flow.confirm()
    assert flow.state.step.name == "filed" and service.keys[0] == service.keys[1]
    other = FilingDraft("430100", FORM.reason, FORM.start_date)
    assert filing_key(flow.ctl.session.ref, other) != service.keys[0]


@pytest.mark.parametrize(("error", "after", "step"), [
    (ServiceError("rejected", "409 (already_filed)"), status(filing(ref="BA1")), "already"),
    (ServiceError("rejected", "409 (not_insured)"), status(state="suspended"), "refused"),
    (ServiceError("unavailable", "refused"), None, "down"),
])
def test_refusals_and_an_unreachable_back_end(setup, error, after, step):
    flow, _service, journal, _ = setup([error], [after] if after else [])
    fill(flow)
    flow.confirm()
    assert flow.state.step.name == step
    assert journal.stats()["mi.filing"]["failed"] == 1


def test_the_voucher_counts_down_and_keeps_the_session_alive_until_it_expires(setup):
    flow, _service, _journal, now = setup([], [])
    flow.voucher()
    session = flow.ctl.session
    assert flow.voucher_view("zh").payload.endswith("t=ABC")
    now[0] += 179
    assert not flow.voucher_view("zh").expired
    now[0] += 2
    view = flow.voucher_view("en")
    assert view.expired and view.payload == ""
    session.end("cancelled")
    assert flow.voucher_view("zh") is None  # wiped with the session
