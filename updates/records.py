"""What survives a power cut: the pending record and the last outcome, written atomically.

Every write is write-beside, fsync, rename over, fsync of the directory: after a power
cut the file is the old one or the new one, never a torn mix.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Pending(Record):
    """An installed release that is switched to but not yet committed."""

    version: str
    previous: str
    switched_at: float  # wall clock, for people; deadlines use it too (boots reset monotonic)
    deadline_s: float
    baseline: dict[str, bool] = Field(default_factory=dict)  # device -> self-test passed
    rolling_back: str = ""  # the reason, once the gate decided: a cut rollback is finished


class Outcome(Record):
    """The end of the last update: what the fleet is told and `updates status` shows."""

    version: str
    result: Literal["committed", "rolled-back", "interrupted"]
    reason: str = ""
    at: float
    journal: list[str] = Field(default_factory=list)  # redacted lines of the failed boot


R = TypeVar("R", bound=Record)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.new")
    with open(temp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    temp.chmod(mode)
    os.replace(temp, path)
    fsync_dir(path.parent)


def save(path: Path, record: Record) -> None:
    write_atomic(path, (record.model_dump_json(indent=1) + "\n").encode())


def load(path: Path, kind: type[R]) -> R | None:
    """The record, or None when there is none; a damaged one is reported, not trusted."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        return kind.model_validate_json(raw)
    except ValidationError as err:
        msg = err.errors()[0]["msg"]
        raise DamagedRecord(f"{path}: not a valid {kind.__name__}: {msg}") from None


def remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        return
    fsync_dir(path.parent)


class DamagedRecord(Exception):
    pass


def dumps(record: Record | None) -> object:
    return None if record is None else json.loads(record.model_dump_json())
