"""What the gateway retries: only what cannot have been done twice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.services.gateway import BackendClient, ServiceError


@contextmanager
def failing_then_ok(failures: int) -> Iterator[tuple[str, list[str]]]:
    """Answers 503 ``failures`` times, then 200 {"ok": true}; records each request."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(self.command)
            ok = len(seen) > failures
            body = b'{"ok": true}' if ok else b'{"error": "unavailable"}'
            self.send_response(200 if ok else 503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


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
