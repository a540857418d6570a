"""The controller's logic with no window and no threads (jobs run when the test says)."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import load_config
from kiosk.controller import KioskController
from kiosk.departments.social_security.state import SocialSecurityState
from kiosk.journal import Journal
from kiosk.printing.certificate import Certificate
from kiosk.services.gateway import ServiceError
from kiosk.session import Citizen, Phase, Session
from tests.helpers.workers import InlineWorker

REPO = Path(__file__).resolve().parents[2]
ALICE = Citizen("甲某", "440304198803121237")
BOB = Citizen("乙某", "44030719850917234X")


class DeferredWorker:
    """Keeps jobs until ``run_all``: a back end that answers late."""

    def __init__(self) -> None:
        self.jobs: list = []

    def run(self, job, on_done, on_error) -> None:
        self.jobs.append((job, on_done, on_error))

    run_in_order = run  # kept in order all the same

    def run_all(self) -> None:
        jobs, self.jobs = self.jobs, []
        for job in jobs:
            InlineWorker().run(*job)


class Screens:
    def __init__(self) -> None:
        self.shown: list[str] = []

    def show(self, screen: str) -> None:
        self.shown.append(screen)

    def refresh(self) -> None:
        pass


def make(tmp_path: Path) -> tuple[KioskController, Session, DeferredWorker, Journal]:
    config = load_config(REPO / "config" / "kiosk.toml")
    session = Session(config.session)
    worker = DeferredWorker()
    journal = Journal(tmp_path / "journal.sqlite")
    ctl = KioskController(config, session, worker, None, None, journal)
    ctl.nav = Screens()
    return ctl, session, worker, journal


def keep(session: Session):
    """Where a query's answer goes: the department's typed state."""
    def into(value) -> None:
        session.state(SocialSecurityState).insurance = value
    return into


def identify(session: Session, citizen: Citizen) -> None:
    session.start()
    session.identified(citizen)


def test_a_late_answer_never_reaches_the_next_citizen(tmp_path):
    ctl, session, worker, _journal = make(tmp_path)
    identify(session, ALICE)
    ctl.query("ss.insurance_status", "ss_status", lambda id_no: f"records of {id_no}",
              keep(session))
    session.end("timeout")  # Alice walks away before the answer
    session._ended_at -= 10
    session.tick()
    identify(session, BOB)
    worker.run_all()  # Alice's answer arrives now
    assert session.state(SocialSecurityState).insurance is None
    assert ctl.notice == ""


def test_an_answer_lands_in_the_session_and_is_journaled(tmp_path):
    ctl, session, worker, journal = make(tmp_path)
    identify(session, ALICE)
    ctl.query("ss.insurance_status", "ss_status", lambda id_no: id_no[-4:], keep(session))
    assert ctl.notice == "common.loading" and ctl.nav.shown[-1] == "ss_status"
    worker.run_all()
    assert session.state(SocialSecurityState).insurance == "1237"
    assert ctl.notice == ""
    assert journal.stats()["ss.insurance_status"]["count"] == 1


def test_a_failure_picks_the_flow_s_message_and_is_journaled_with_its_kind(tmp_path):
    ctl, session, worker, journal = make(tmp_path)
    identify(session, ALICE)

    def not_there(_id: str):
        raise ServiceError("not_found", "HTTP 404", status=404)

    ctl.query("ss.insurance_status", "ss_status", not_there, keep(session),
              {"not_found": "ss.not_found", "default": "ss.error"})
    worker.run_all()
    assert ctl.notice == "ss.not_found"
    rows = journal._run("SELECT outcome FROM transactions").fetchall()
    assert rows == [("not_found",)]


def test_printing_returns_to_the_service_and_restarts_the_clock(tmp_path):
    ctl, session, worker, _journal = make(tmp_path)

    class Printer:
        def __init__(self) -> None:
            self.statuses: dict = {}
            self.printed: list = []

        def print_job(self, job) -> None:
            self.printed.append(job.key)  # the certificate's verification code

        def rearm_card(self) -> None:
            pass

    ctl.devices = Printer()
    identify(session, ALICE)
    ctl.print_certificate("ss.certificate", "ss_status",
                          lambda id_no: Certificate("参保证明", "甲某", "4403**1237",
                                                    verification_code=f"page for {id_no[-4:]}"))
    assert session.phase is Phase.PRINTING and ctl.nav.shown[-1] == "printing"
    worker.run_all()
    assert ctl.devices.printed == ["page for 1237"]
    assert session.phase is Phase.IN_SERVICE and ctl.print_state == "done"
    assert ctl.return_screen == "ss_status"
    assert session.service == "ss.certificate"


def test_a_card_with_only_an_english_name_identifies_its_holder(tmp_path):
    from drivers.idcard.card import CardType, IdCard

    ctl, session, _worker, _journal = make(tmp_path)
    session.start()
    card = IdCard(
        name="", english_name="SMITH JOHN", sex="1", nation="", birth="19800101",
        address="", id_number="USA110080010101", authority="", valid_from="20200101",
        valid_to="20300101", card_type=CardType.FOREIGN_OLD,
    )
    ctl.card_read(card)
    assert session.phase is Phase.IN_SERVICE
    assert session.citizen.name == "SMITH JOHN"
