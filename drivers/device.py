"""The device model shared by the app and the fleet (XFS4IoT-style states)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DeviceState(StrEnum):
    STARTING = "starting"
    ONLINE = "online"
    OFFLINE = "offline"  # was there, stopped answering
    NO_DEVICE = "no_device"  # port missing
    HARDWARE_ERROR = "hardware_error"
    USER_ERROR = "user_error"  # e.g. paper out: staff can clear it on site
    BUSY = "busy"


class Action(StrEnum):
    NONE = "none"
    CLEAR = "clear"  # site staff can fix it (paper, cover)
    MAINTENANCE = "maintenance"  # an engineer must come


@dataclass(frozen=True)
class DeviceStatus:
    device: str  # "idcard", "printer", ...
    state: DeviceState
    detail: str = ""  # short, human-readable, never personal
    action: Action = Action.NONE

    @property
    def usable(self) -> bool:
        return self.state in (DeviceState.ONLINE, DeviceState.BUSY)
