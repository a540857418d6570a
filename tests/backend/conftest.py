"""A signed in-process client over a fresh store, at a fixed moment (2026-11-22 20:15 CST)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.settings import CHINA_TZ, DEMO_APP_KEYS
from kiosk.services.signing import SigningAuth

DEMO_NOW = datetime(2026, 11, 22, 20, 15, 42, tzinfo=CHINA_TZ)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(tmp_path / "backend.sqlite", verify_base="https://verify.test/v",
                     clock=lambda: DEMO_NOW)
    with TestClient(app) as c:
        c.auth = SigningAuth(*next(iter(DEMO_APP_KEYS.items())))
        yield c
