"""The session state machine, with a fake clock: no window, no waiting."""

from __future__ import annotations

import pytest

from kiosk.config import SessionConfig
from kiosk.departments.social_security.state import SocialSecurityState
from kiosk.session import Citizen, Phase, Session, SessionError


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def session(clock):
    return Session(SessionConfig(idle_timeout_s=60, warning_s=15, thanks_s=4), clock=clock)


CITIZEN = Citizen("张三", "11010519491231002X", "1", "19491231")


def test_the_happy_path_wipes_on_the_way_out(session):
    seen = []
    session.subscribe(lambda old, new: seen.append(new))
    session.start()
    session.identified(CITIZEN)
    session.choose("ss_insurance")
    session.state(SocialSecurityState).insurance = object()
    session.begin_printing()
    session.printing_done()
    session.finish()
    session.rate(5)
    assert seen == [Phase.IDENTIFYING, Phase.IN_SERVICE, Phase.PRINTING, Phase.IN_SERVICE,
                    Phase.RATING, Phase.ENDED]
    assert session.citizen is None
    assert session.states == {}
    assert session.rating == 5
    assert session.end_reason == "rated"


def test_idle_timeout_ends_and_wipes(session, clock):
    session.start()
    session.identified(CITIZEN)
    clock.now += 44
    session.tick()
    assert not session.warning
    clock.now += 2  # 46 s idle: inside the last 15 s
    assert session.warning
    assert 13 < session.remaining <= 14
    clock.now += 14
    session.tick()
    assert session.phase is Phase.ENDED
    assert session.end_reason == "timeout"
    assert session.citizen is None


def test_a_touch_buys_more_time(session, clock):
    session.start()
    clock.now += 50
    assert session.warning
    session.touch()
    assert session.remaining == 60
    clock.now += 59
    session.tick()
    assert session.phase is Phase.IDENTIFYING


def test_printing_is_not_timed_then_the_clock_restarts(session, clock):
    session.start()
    session.identified(CITIZEN)
    session.begin_printing()
    clock.now += 500
    session.tick()
    assert session.phase is Phase.PRINTING
    session.printing_done()
    assert session.remaining == 60


def test_thanks_then_back_to_idle(session, clock):
    session.start()
    session.end("cancelled")
    session.tick()
    assert session.phase is Phase.ENDED
    clock.now += 4
    session.tick()
    assert session.phase is Phase.IDLE
    assert session.remaining == float("inf")


def test_illegal_moves_are_refused(session):
    with pytest.raises(SessionError):
        session.identified(CITIZEN)  # no card accepted on the attract screen
    with pytest.raises(SessionError):
        session.finish()
    session.start()
    with pytest.raises(SessionError):
        session.rate(3)
    session.identified(CITIZEN)
    session.finish()
    with pytest.raises(ValueError):
        session.rate(6)


def test_citizen_repr_hides_personal_data():
    assert "张三" not in repr(CITIZEN)
    assert "11010519491231002X" not in repr(CITIZEN)
