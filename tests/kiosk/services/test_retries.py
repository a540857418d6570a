"""What the gateway retries: only what cannot have been done twice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from kiosk.services.gateway import BackendClient, ServiceError
from tests.helpers.stub_http import stub_server


@contextmanager
def failing_then_ok(failures: int) -> Iterator[tuple[str, list[str]]]:
    """Answers 503 ``failures`` times, then 200 {"ok": true}; records each request."""
    seen: list[str] = []

    def answer(method: str) -> tuple[int, bytes, str]:
        seen.append(method)
        if len(seen) > failures:
            return 200, b'{"ok": true}', "application/json"
        return 503, b'{"error": "unavailable"}', "application/json"

    with stub_server(answer) as url:
        yield url, seen


def test_a_get_is_retried_after_a_server_error():
    with failing_then_ok(2) as (url, seen), BackendClient(url, backoff_s=0.01) as client:
        assert client.get_json("/api/v1/health") == {"ok": True}
    assert seen == ["GET", "GET", "GET"]


def test_a_get_gives_up_after_the_retries():
    with (
        failing_then_ok(5) as (url, seen),
        BackendClient(url, backoff_s=0.01) as client,
        pytest.raises(ServiceError) as err,
    ):
        client.get_json("/api/v1/health")
    assert err.value.kind == "bad_response" and err.value.status == 503
    assert len(seen) == 3


def test_a_post_the_back_end_may_have_acted_on_is_not_retried():
    with (
        failing_then_ok(1) as (url, seen),
        BackendClient(url, backoff_s=0.01) as client,
        pytest.raises(ServiceError),
    ):
        client.post_json("/api/v1/ratings", {"score": 5})
    assert seen == ["POST"]
