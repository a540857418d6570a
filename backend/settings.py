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
DEFAULT_VERIFY_BASE = "https://si.example.gov.cn/verify"


def china_now() -> datetime:
    return datetime.now(CHINA_TZ)


@dataclass(frozen=True)
class Settings:
    db_path: Path
    verify_base: str = DEFAULT_VERIFY_BASE  # the QR code encodes f"{verify_base}?code=..."
    clock: Callable[[], datetime] = field(default=china_now)  # injectable for tests


def _settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(_settings)]
