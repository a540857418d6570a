"""Circuit breakers per department, with a fake clock and a fake department."""

from __future__ import annotations

import threading

import pytest

from kiosk.services.breaker import BreakerBoard, DepartmentClient
from kiosk.services.gateway import ServiceError


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FlakyClient:
    """Fails with ``error`` while set; counts calls that reached it."""

    def __init__(self) -> None:
        self.error: ServiceError | None = None
        self.calls = 0

    def post_json(self, path: str, body: dict) -> dict:
        self.calls += 1
        if self.error:
            raise self.error
        return {"ok": True}

    get_json = post_json


def test_trips_after_repeated_outages_then_fails_fast():
    clock, events = Clock(), []
    board = BreakerBoard(threshold=3, probe_interval_s=10, clock=clock)
    board.changed.subscribe(events.append)
    backend = FlakyClient()
    dept = DepartmentClient(backend, "social-security", board)
    backend.error = ServiceError("timeout", "no answer")
    for _ in range(3):
        with pytest.raises(ServiceError):
            dept.post_json("/x", {})
    assert events == [("social-security", False, "timeout")]
    assert not board.is_up("social-security") and board.reason("social-security") == "timeout"
    with pytest.raises(ServiceError, match="marked unavailable") as err:
        dept.post_json("/x", {})
    assert err.value.kind == "unavailable"
    assert backend.calls == 3  # the fourth call never waited for the back end


def test_a_citizen_not_found_is_not_an_outage():
    board = BreakerBoard(threshold=1)
    backend = FlakyClient()
    backend.error = ServiceError("not_found", "no such person", status=404)
    with pytest.raises(ServiceError):
        DepartmentClient(backend, "social-security", board).post_json("/x", {})
    assert board.is_up("social-security")


def test_one_success_resets_the_count():
    board = BreakerBoard(threshold=2)
    backend = FlakyClient()
    dept = DepartmentClient(backend, "housing-fund", board)
    backend.error = ServiceError("unavailable", "refused")
    with pytest.raises(ServiceError):
        dept.post_json("/x", {})
    backend.error = None
    dept.post_json("/x", {})
    backend.error = ServiceError("unavailable", "refused")
    with pytest.raises(ServiceError):
        dept.post_json("/x", {})
    assert board.is_up("housing-fund")


def test_probes_are_spaced_by_the_interval():
    clock = Clock()
    board = BreakerBoard(threshold=1, probe_interval_s=10, clock=clock)
    board.failure("traffic", ServiceError("bad_response", "HTTP 503"))
    assert board.due_for_probe() == []
    clock.now += 10
    assert board.due_for_probe() == ["traffic"]
    assert board.due_for_probe() == []  # not again until another interval has passed


def test_the_prober_brings_a_department_back():
    board = BreakerBoard(threshold=1, probe_interval_s=0.05)
    back = threading.Event()
    board.changed.subscribe(lambda change: change.up and back.set())
    board.failure("social-security", ServiceError("unavailable", "refused"))
    answers = iter([ServiceError("unavailable", "refused"), None])

    def probe(department: str) -> None:
        outcome = next(answers, None)
        if outcome:
            raise outcome

    board.start_probing(probe)
    try:
        assert back.wait(5), "the prober never marked the department up"
    finally:
        board.stop()
    assert board.is_up("social-security")
