"""The device model shared by the app and the fleet (XFS4IoT-style states)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class DeviceState(StrEnum):
    STARTING = "starting"
    ONLINE = "online"
    OFFLINE = "offline"  # was there, stopped answering
    NO_DEVICE = "no_device"  # port missing
    HARDWARE_ERROR = "hardware_error"
    USER_ERROR = "user_error"  # e.g. paper out: staff can clear it on site
    BUSY = "busy"


class PaperLevel(StrEnum):
    """A paper roll's level (XFS4IoT: full/low/out/unknown), the contract's ``paper``."""

    OK = "ok"
    LOW = "low"  # near end: staff should refill soon
    OUT = "out"
    UNKNOWN = "unknown"  # the device did not say (no answer, not reachable)


class Action(StrEnum):
    NONE = "none"
    CLEAR = "clear"  # site staff can fix it (paper, cover)
    MAINTENANCE = "maintenance"  # an engineer must come


@dataclass(frozen=True)
class DeviceStatus:
    device: str  # "idcard", "printer", ...
    state: DeviceState
    detail: str = ""  # short, human-readable, never personal (English)
    action: Action = Action.NONE
    # The same detail in Chinese for staff and the attract screen. Left out of ==: it
    # translates ``detail``, so a status that differs only here is no new event.
    detail_zh: str = field(default="", compare=False)
    paper: PaperLevel | None = None  # devices with a paper roll; None for the others

    @property
    def usable(self) -> bool:
        return self.state in (DeviceState.ONLINE, DeviceState.BUSY)

    def detail_in(self, lang: str) -> str:
        """The detail in ``lang`` ("zh" or "en"); English when no Chinese was given."""
        return self.detail_zh if lang == "zh" and self.detail_zh else self.detail
