"""Attacks on the back end's request bodies, over real HTTP to a real `python -m backend`:
a 300 MiB POST, unsigned or with signature headers that look right, declared with
Content-Length or streamed chunked. Each must be refused before the body is read,
or cut off at the cap, and the server's memory must not grow with what was sent."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import httpx
import pytest

from backend.settings import DEMO_APP_KEYS
from kiosk.services.signing import SigningAuth
from tests.helpers.backend_proc import start_backend, stop
from tests.helpers.flood import MiB, flood, memory_kib, status_of

PATH = "/api/v1/ratings"
HUGE = 300 * MiB
APP_KEY = next(iter(DEMO_APP_KEYS))


@pytest.fixture
def backend(tmp_path):
    """A fresh process per attack: its peak memory (VmHWM) then measures that attack."""
    url, proc = start_backend(tmp_path)
    good = {"terminal_id": "T-1", "service": "svc", "score": 5}
    with httpx.Client(base_url=url, auth=SigningAuth(APP_KEY, DEMO_APP_KEYS[APP_KEY])) as c:
        assert c.post(PATH, json=good).status_code == 201  # warm: the baseline is a live server
    yield url, proc
    stop(proc)


def _head(url: str, extra: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    head = (f"POST {PATH} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Content-Type: application/json\r\n{extra}")
    return parts.hostname, parts.port, head


def _plausible_signature() -> str:
    """Headers that pass every check but the signature itself (which needs the body)."""
    return (f"X-App-Key: {APP_KEY}\r\nX-Timestamp: {int(time.time())}\r\n"
            f"X-Nonce: n{time.time_ns()}\r\nX-Signature: {'0' * 64}")


def _attack(backend, extra: str, chunked: bool) -> tuple[int, int, int]:
    url, proc = backend
    host, port, head = _head(url, extra)
    before = memory_kib(proc.pid)["VmHWM"]
    sent, answer = flood(host, port, head, HUGE, chunked=chunked)
    grew = memory_kib(proc.pid)["VmHWM"] - before
    return status_of(answer), sent, grew


def _said(status: int, sent: int, grew_kib: int) -> str:
    return f"answered {status} after taking {sent / MiB:.0f} MiB; memory +{grew_kib / 1024:.0f} MiB"


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_backend_refuses_unsigned_upload_before_reading_it(backend, chunked):
    extra = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {HUGE}"
    status, sent, grew_kib = _attack(backend, extra, chunked)
    # Declared too large, the cap answers first (413); streamed, the missing signature (401).
    assert status == (401 if chunked else 413), _said(status, sent, grew_kib)
    # Loopback socket buffers take a few MiB before the answer is seen; the 300 are not read.
    assert sent < 32 * MiB, f"the server read {sent / MiB:.0f} MiB of an unsigned body"
    assert grew_kib < 32 * 1024, f"server memory grew {grew_kib / 1024:.0f} MiB"


def test_backend_refuses_declared_oversized_body_before_reading_it(backend):
    status, sent, grew_kib = _attack(
        backend, f"{_plausible_signature()}\r\nContent-Length: {HUGE}", chunked=False)
    assert status == 413, _said(status, sent, grew_kib)
    assert sent < 32 * MiB and grew_kib < 32 * 1024, _said(status, sent, grew_kib)


def test_backend_cuts_off_streamed_body_at_the_cap(backend):
    status, sent, grew_kib = _attack(
        backend, f"{_plausible_signature()}\r\nTransfer-Encoding: chunked", chunked=True)
    assert status == 413, _said(status, sent, grew_kib)
    assert sent < 32 * MiB and grew_kib < 32 * 1024, _said(status, sent, grew_kib)


def test_backend_still_takes_a_signed_request_of_ordinary_size(backend):
    url, _proc = backend
    body = {"terminal_id": "T-2", "service": "svc", "score": 4, "reasons": ["x" * 100] * 10}
    with httpx.Client(base_url=url, auth=SigningAuth(APP_KEY, DEMO_APP_KEYS[APP_KEY])) as c:
        r = c.post(PATH, content=json.dumps(body), headers={"Content-Type": "application/json"})
    assert r.status_code == 201, r.text
