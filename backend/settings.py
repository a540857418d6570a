"""What a running back end is configured with; routers read it from ``app.state``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

# China Standard Time has no DST, so a fixed offset avoids depending on tzdata.
CHINA_TZ = timezone(timedelta(hours=8), "CST")
API_PREFIX = "/api/v1"
DEFAULT_VERIFY_BASE = "https://si.example.gov.cn/verify"
# The demo kiosk's key (config/kiosk.toml). A real platform issues one per terminal.
DEMO_APP_KEYS = {"kiosk-demo": "demo-secret-not-for-production"}


def china_now() -> datetime:
    return datetime.now(CHINA_TZ)


@dataclass(frozen=True)
class Settings:
    db_path: Path
    verify_base: str = DEFAULT_VERIFY_BASE  # the QR code encodes f"{verify_base}?code=..."
    clock: Callable[[], datetime] = field(default=china_now)  # injectable for tests
    app_keys: dict[str, str] = field(default_factory=lambda: dict(DEMO_APP_KEYS))


def _settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(_settings)]
