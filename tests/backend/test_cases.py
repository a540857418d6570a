"""办事进度 on the demo back end: a case in each stage, lights by the supervision rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from backend.routers.cases import light_of
from tests.backend.conftest import DEMO_NOW

PROGRESS = "/api/v1/cases/progress"


def progress(api: TestClient, number: str) -> dict:
    r = api.post(PROGRESS, json={"case_number": number})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize(("number", "current", "light", "lights"), [
    ("202611220001", "acceptance", "green", ["green", "none", "none"]),
    ("202611180002", "review", "yellow", ["green", "yellow", "none"]),
    ("202611100003", "review", "red", ["green", "red", "none"]),
    ("202611050004", "issuance", "green", ["green", "green", "green"]),
    ("202610250006", "issuance", "yellow", ["green", "green", "yellow"]),
    ("202610200005", "done", "green", ["green", "green", "green"]),
])
def test_each_stage_and_light(api: TestClient, number: str, current: str, light: str,
                              lights: list[str]) -> None:
    case = progress(api, number)
    assert (case["current_stage"], case["light"]) == (current, light)
    assert [s["light"] for s in case["stages"]] == lights
    assert [s["name_zh"] for s in case["stages"]] == ["受理", "审查决定", "办结送达"]
    states = [s["state"] for s in case["stages"]]
    assert states == sorted(states, key=["done", "current", "waiting"].index)


def test_times_are_real_dates_around_the_clock(api: TestClient) -> None:
    case = progress(api, "202611180002")
    review = case["stages"][1]
    assert review["started_at"] == (DEMO_NOW - timedelta(hours=100)).strftime("%Y-%m-%d %H:%M")
    assert review["deadline"] == (DEMO_NOW + timedelta(hours=20)).strftime("%Y-%m-%d %H:%M")
    assert case["applicant_masked"] == "张*例" and "张示例" not in str(case)


@pytest.mark.parametrize("number", ["20261122000", "2026112200011", "20261122000A", ""])
def test_malformed_numbers_are_422(api: TestClient, number: str) -> None:
    r = api.post(PROGRESS, json={"case_number": number})
    assert r.status_code == 422 and (not number or number not in r.text)


def test_unknown_number_is_404(api: TestClient) -> None:
    assert api.post(PROGRESS, json={"case_number": "202699990000"}).status_code == 404


LIMIT = timedelta(hours=100)


@given(elapsed_min=st.integers(0, 300 * 60), done=st.booleans())
def test_the_light_rule(elapsed_min: int, done: bool) -> None:
    elapsed_h = elapsed_min / 60
    started = DEMO_NOW - timedelta(minutes=elapsed_min)
    finished = DEMO_NOW if done else None
    light = light_of(started, finished, LIMIT, DEMO_NOW)
    if elapsed_h > 100:
        assert light == "red"  # late, finished or not
    elif done or elapsed_h <= 80:
        assert light == "green"
    else:
        assert light == "yellow"  # less than a fifth of the limit left
