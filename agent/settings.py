"""The part of /etc/kiosk/kiosk.toml the agent needs, read leniently.

The agent must keep reporting when the kiosk's config is broken (perhaps why the UI
failed), so it reads only [terminal], [broker] and [fleet], ignores every other key,
and says what is wrong with them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Terminal(_Lenient):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    site: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class Broker(_Lenient):
    host: str = "127.0.0.1"
    port: int = Field(1883, gt=0, lt=65536)
    topic_prefix: str = "kiosk/v1"
    tls: bool = False
    ca_file: Path | None = None
    username: str = ""
    password: str = ""


class Fleet(_Lenient):
    command_key: str = Field("", pattern=r"^([0-9a-fA-F]{64})?$")


class AgentSettings(_Lenient):
    terminal: Terminal
    broker: Broker = Broker()
    fleet: Fleet = Fleet()


class SettingsError(Exception):
    pass


def load_settings(path: Path) -> AgentSettings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: {exc}") from exc
    try:
        return AgentSettings.model_validate(data)
    except ValidationError as exc:
        where = "; ".join(".".join(map(str, e["loc"])) + ": " + e["msg"] for e in exc.errors())
        raise SettingsError(f"{path}: {where}") from exc
