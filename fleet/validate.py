"""Every message from a terminal is checked against the contract before it is stored.

One typed model per topic leaf (docs/fleet-contract.md, common/contract.py), strict:
a ``ts`` that is a string, a ``state`` that is a list, 1e300 or 10**20, a missing
``alarm``, nesting thousands deep — each fails here, alone, and is quarantined
(fleet/apply.py) instead of taking the rest of its batch with it. Ranges stop at
what the store's columns hold (PostgreSQL INTEGER, the String lengths in
fleet/models.py). Unknown fields are ignored (a newer terminal adds fields, v1.x).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from common import contract as c

INT32 = 2**31 - 1  # PostgreSQL INTEGER
MAX_JSON = {c.HEALTH: 16_384}  # bytes; every other JSON leaf: MAX_JSON_OTHER
MAX_JSON_OTHER = 4_096
MAX_SCREENSHOT = 3 * 1024 * 1024  # a half-size screen is a few hundred KiB
MAX_SCREENSHOT_SIDE = 4096
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def Str(n: int, pattern: str | None = None) -> Any:  # a type, as pydantic reads it
    return Annotated[str, StringConstraints(max_length=n, pattern=pattern)]


Ts = Annotated[float, Field(ge=0, le=4.2e9, allow_inf_nan=False)]  # epoch s, before 2103
Seq = Annotated[int, Field(ge=1, le=INT32)]
Stream = Str(32, r"^[A-Za-z0-9_-]+$")
AlarmKey = Str(64, r"^[A-Za-z0-9_.:-]+$")
# A code a newer terminal may add (a severity, an action, a device state): shown as
# it is, so it is held to plain lower-case words.
Code = Str(16, r"^[a-z_]+$")
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class State(Strict):
    state: Literal["online", "offline"]
    bdseq: Annotated[int, Field(ge=0, le=INT32)]
    ts: Ts = 0
    version: Str(32) = ""
    hb: Annotated[float, Field(gt=0, le=86_400, allow_inf_nan=False)] = 300
    reason: Str(16) = "lost"


class Device(Strict):
    state: Code  # starting, online, offline, no_device, hardware_error, user_error, busy
    action: Code = "none"  # none, clear, maintenance
    detail: Str(200) = ""
    detail_zh: Str(200) = ""


class Sys(Strict):
    cpu: Percent = 0
    mem: Percent = 0
    disk: Percent = 0
    temp: Annotated[float, Field(ge=-60, le=200, allow_inf_nan=False)] | None = None
    uptime: Annotated[float, Field(ge=0, le=1e10, allow_inf_nan=False)] = 0


class Health(Strict):
    ts: Ts
    bdseq: Annotated[int, Field(ge=0, le=INT32)] = 0
    version: Str(32) = ""
    config: Str(64) = ""
    light: Literal[c.LIGHTS]  # type: ignore[valid-type]
    oos: bool = False
    session: bool = False
    screen: Str(32) = ""
    devices: Annotated[dict[Str(32, r"^[A-Za-z0-9_.-]+$"), Device], Field(max_length=32)] = {}
    paper: Literal[c.PAPER_LEVELS] = "unknown"  # type: ignore[valid-type]
    alarms: Annotated[list[AlarmKey], Field(max_length=64)] = []
    sys: Sys | None = None


class Event(Strict):
    ts: Ts = 0
    alarm: AlarmKey
    on: bool
    severity: Str(8, r"^[a-z]+$") = "yellow"  # yellow, red
    detail: Str(200) = ""
    detail_zh: Str(200) = ""
    action: Str(16, r"^[a-z_]*$") = ""  # none, clear, maintenance
    stream: Stream
    seq: Seq


class Txn(Strict):
    ts: Ts = 0
    kind: Literal["use", "rating", "visit"] | None = None  # absent: a v1.0 session record
    service: Str(32) = "none"
    outcome: Str(16) = ""
    duration_s: Annotated[float, Field(ge=0, le=1e6, allow_inf_nan=False)] = 0
    rating: Annotated[int, Field(ge=1, le=5)] | None = None
    printed: bool = False
    stream: Stream
    seq: Seq


class Result(Strict):
    id: Str(32, r"^[0-9a-f]+$")
    cmd: Str(32) = ""
    ok: bool | None = None
    result: Literal["done", "refused", "error"]
    detail: Str(300) = ""
    ts: Ts = 0
    stream: Stream
    seq: Seq


MODELS: dict[str, type[Strict]] = {c.STATE: State, c.HEALTH: Health, c.EVENT: Event,
                                   c.TXN: Txn, c.RESULT: Result}


class Invalid(ValueError):
    """Why a message was not stored (kept with it in quarantine, shown to staff)."""


@dataclass(frozen=True, slots=True)
class Message:
    site: str  # as the topic says; fleet/apply.py checks it against the provisioned one
    terminal: str
    leaf: str
    body: Any  # a model above, or the PNG bytes of a screenshot
    topic: str  # as it came, for quarantine if the store refuses it
    raw: bytes


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG, from its IHDR; raises Invalid if it is not one."""
    if len(data) > MAX_SCREENSHOT:
        raise Invalid(f"screenshot of {len(data)} bytes (at most {MAX_SCREENSHOT})")
    if len(data) < 33 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise Invalid("screenshot is not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_SCREENSHOT_SIDE and 0 < height <= MAX_SCREENSHOT_SIDE):
        raise Invalid(f"screenshot of {width}x{height} pixels")
    return width, height


def check(topic: str, payload: bytes) -> Message | None:
    """The message as the contract defines it; None for the console's own commands
    (it reads its own topic tree); raises Invalid for anything else."""
    parsed = c.parse_topic(topic)
    if parsed is None:
        raise Invalid("topic outside kiosk/v1/<site>/<terminal>/<leaf>")
    site, tid, leaf = parsed
    if leaf == c.CMD:
        return None
    if not c.valid_site(site) or not c.valid_terminal_id(tid):
        raise Invalid("site or terminal id outside the contract's pattern")
    if leaf == c.SCREENSHOT:
        png_size(payload)
        return Message(site, tid, leaf, payload, topic, payload)
    model = MODELS.get(leaf)
    if model is None:
        raise Invalid(f"unknown leaf {leaf[:32]!r}")
    limit = MAX_JSON.get(leaf, MAX_JSON_OTHER)
    if len(payload) > limit:
        raise Invalid(f"{leaf} of {len(payload)} bytes (at most {limit})")
    if b"\\u0000" in payload:  # PostgreSQL text holds no NUL
        raise Invalid(f"{leaf} with a NUL character")
    try:
        body = model.model_validate_json(payload)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[:3]
        where = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in first)
        raise Invalid(f"{leaf}: {where}") from None
    return Message(site, tid, leaf, body, topic, payload)
