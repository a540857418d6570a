"""Call staff: one alarm however often touched, cleared when the citizen has gone."""

from __future__ import annotations

from ui.staff_call import StaffCall


class Fake:
    def __init__(self) -> None:
        self.now = 100.0
        self.log: list[str] = []
        self.call = StaffCall(
            show_notice=lambda: self.log.append("show"),
            dismiss_notice=lambda: self.log.append("dismiss"),
            say_called=lambda: self.log.append("say"),
            poke=lambda: self.log.append("poke"),
            clock=lambda: self.now,
        )
        self.changes: list[bool] = []
        self.call.changed.subscribe(self.changes.append)


def test_touching_twice_raises_one_alarm_but_answers_each_touch() -> None:
    f = Fake()
    f.call.call()
    f.call.call()
    assert f.call.called and f.changes == [True]
    assert f.log == ["poke", "show", "say", "show", "say"]  # the fleet is poked once


def test_the_session_going_idle_clears_it() -> None:
    f = Fake()
    f.call.call()
    f.call.clear()
    f.call.clear()  # twice is harmless
    assert not f.call.called and f.changes == [True, False]
    assert f.log.count("dismiss") == 1 and f.log.count("poke") == 2


def test_a_call_with_no_session_clears_after_its_time_and_not_during_a_session() -> None:
    f = Fake()
    f.call.call()
    f.now += 301
    f.call.tick(in_session=True, idle_s=300)
    assert f.call.called  # a citizen is being served: they may still be waiting
    f.call.tick(in_session=False, idle_s=300)
    assert not f.call.called and f.changes == [True, False]


def test_no_session_but_not_yet_its_time() -> None:
    f = Fake()
    f.call.call()
    f.now += 299
    f.call.tick(in_session=False, idle_s=300)
    assert f.call.called
