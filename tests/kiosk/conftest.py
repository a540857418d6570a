"""A real back end process (``python -m backend``) shared by the service-client tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from backend.settings import DEMO_APP_KEYS
from kiosk.services.gateway import BackendClient
from kiosk.services.signing import SigningAuth
from tests.helpers.backend_proc import start_backend, stop


@pytest.fixture(scope="session")
def live_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("live-backend")
    url, proc = start_backend(folder)
    try:
        yield url, folder
    finally:
        assert stop(proc) == 0


def demo_auth() -> SigningAuth:
    """The demo back end's first app key: every route but /health wants a signature."""
    return SigningAuth(*next(iter(DEMO_APP_KEYS.items())))


@pytest.fixture
def live_client(live_backend: tuple[str, Path]) -> Iterator[BackendClient]:
    with BackendClient(live_backend[0], timeout=5.0, auth=demo_auth()) as c:
        yield c


def set_fault(url: str, department: str, mode: str, seconds: float = 3.0) -> None:
    body = {"department": department, "mode": mode, "seconds": seconds}
    httpx.post(f"{url}/api/v1/_demo/faults", json=body, timeout=5).raise_for_status()
