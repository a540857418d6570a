"""Ratings survive a back end that is down: journaled, resent later, stored once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest

from backend.settings import DEMO_APP_KEYS
from kiosk.config import load_config
from kiosk.controller import KioskController
from kiosk.journal import Journal
from kiosk.services.gateway import BackendClient
from kiosk.services.ratings import RatingService
from kiosk.services.signing import SigningAuth
from kiosk.session import Citizen, Session
from tests.helpers.backend_proc import start_backend, stop
from tests.helpers.workers import InlineWorker

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def backend(tmp_path):
    url, proc = start_backend(tmp_path)
    yield url, tmp_path / "backend.sqlite"
    stop(proc)


def ratings_at_backend(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM ratings").fetchone()[0]


def rate_one(controller: KioskController, session: Session, score: int) -> None:
    session.start()
    session.identified(Citizen("张示例", "440304198803121237"))
    session.choose("ss.insurance_status")
    session.finish()
    controller.rate(score)


def test_ratings_wait_out_an_outage_and_arrive_once(tmp_path, backend):
    url, backend_db = backend
    config = load_config(REPO / "config" / "kiosk.toml")
    session = Session(config.session)
    journal = Journal(tmp_path / "journal.sqlite")
    client = BackendClient(url, auth=SigningAuth(*next(iter(DEMO_APP_KEYS.items()))))
    controller = KioskController(
        config, session, InlineWorker(), RatingService(client), None, journal
    )
    fault = {"department": "ratings", "mode": "down"}
    httpx.post(f"{url}/api/v1/_demo/faults", json=fault, timeout=5).raise_for_status()

    rate_one(controller, session, 2)
    session.tick()  # (thanks time is not up; the session stays ended)
    assert [r.score for r in journal.pending_ratings()] == [2]
    assert ratings_at_backend(backend_db) == 0

    httpx.post(f"{url}/api/v1/_demo/faults", json={**fault, "mode": "none"}, timeout=5)
    controller.deliver_ratings()
    assert journal.pending_ratings() == []
    assert ratings_at_backend(backend_db) == 1
    controller.deliver_ratings()  # nothing pending: nothing sent twice
    assert ratings_at_backend(backend_db) == 1


def test_reasons_go_with_a_low_score_only_and_only_known_ones(tmp_path):
    config = load_config(REPO / "config" / "kiosk.toml")
    now = [0.0]
    session = Session(config.session, clock=lambda: now[0])
    journal = Journal(tmp_path / "journal.sqlite")
    nowhere = BackendClient("http://127.0.0.1:9", retries=0)  # nothing listens: they wait
    controller = KioskController(
        config, session, InlineWorker(), RatingService(nowhere), None, journal
    )
    session.start()
    session.identified(Citizen("张示例", "440304198803121237"))
    session.finish()
    controller.rate(1, ("device", "made-up", "slow"))
    now[0] += config.session.thanks_s
    session.tick()  # thanked: idle, the next citizen may start
    session.start()
    session.identified(Citizen("李演示", "440303196208152340"))
    session.finish()
    controller.rate(4, ("slow",))
    assert [(r.score, r.reasons) for r in journal.pending_ratings()] == [
        (1, ["slow", "device"]), (4, [])]
