"""The part of /etc/kiosk/kiosk.toml the agent needs, read leniently, and its login.

The agent must keep reporting when the kiosk's config is broken (perhaps why the UI
failed), so it reads only [terminal], [broker] and [fleet], ignores every other key,
and says what is wrong with them. Its broker login is not the UI's: ``<id>/agent``
with its own password, in /etc/kiosk/agent.toml (mode 0600, owner kiosk-agent: the
UI's user cannot read it), as ``python -m fleet.provision terminal`` prints it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from common import contract as c


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


class Login(BaseModel):
    """[broker] of agent.toml: strict, it holds nothing else."""

    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")
    broker: Login


class AgentSettings(_Lenient):
    terminal: Terminal
    broker: Broker = Broker()
    fleet: Fleet = Fleet()
    login: Login | None = None  # None: a broker without logins (a developer's)


M = TypeVar("M", bound=BaseModel)


class SettingsError(Exception):
    pass


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: {exc}") from exc


def _validate(model: type[M], data: dict, path: Path) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        where = "; ".join(".".join(map(str, e["loc"])) + ": " + e["msg"] for e in exc.errors())
        raise SettingsError(f"{path}: {where}") from exc


def load_settings(path: Path, credentials: Path | None = None) -> AgentSettings:
    """kiosk.toml at ``path``; the agent's login from ``credentials`` (agent.toml).

    Without that file the agent logs in with no login at all, which only a broker
    without logins accepts; kiosk.toml naming a login (a real fleet) then fails here,
    saying what is missing, rather than the agent borrowing the UI's login (the broker
    makes a login its client id: two connections with one login kick each other off).
    """
    settings = _validate(AgentSettings, _read(path), path)
    if credentials is None or not credentials.exists():
        if settings.broker.username:
            raise SettingsError(
                f"{credentials}: missing: the agent's own broker login "
                f"({c.agent_login(settings.terminal.id)!r}, from python -m fleet.provision "
                "terminal), readable by the agent's user alone")
        return settings
    login = _validate(Credentials, _read(credentials), credentials).broker
    if login.username != c.agent_login(settings.terminal.id):
        raise SettingsError(f"{credentials}: broker.username {login.username!r} is not "
                            f"this terminal's agent ({c.agent_login(settings.terminal.id)!r})")
    return settings.model_copy(update={"login": login})
