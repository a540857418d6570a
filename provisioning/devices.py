"""The kiosk's USB serial devices: stable names under /dev/kiosk/ by vendor, product, serial.

A devices file (TOML) or ``--device ROLE=VENDOR:PRODUCT:SERIAL`` options say which
device is which; every value is checked before it reaches a udev rule (a serial with a
quote in it could otherwise add its own ``RUN+=`` to the rule).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

ROLES = ("idcard", "printer", "queue")
REQUIRED_ROLES = ("idcard", "printer")  # a queue-number device is optional
DEVICE_GROUP = "kiosk-devices"
RULES_PATH = "/etc/udev/rules.d/70-kiosk-devices.rules"


class UsbDevice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    vendor: str = Field(pattern=r"^[0-9a-f]{4}$")  # idVendor, 4 lower-case hex digits
    product: str = Field(pattern=r"^[0-9a-f]{4}$")  # idProduct
    serial: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    subsystem: Literal["tty", "usbmisc"] = "tty"  # usbmisc: a printer on usblp


class DeviceError(ValueError):
    """A device description that cannot become a udev rule; the message says why."""


def _make(role: str, raw: dict[str, str], where: str) -> UsbDevice:
    if role not in ROLES:
        raise DeviceError(f"{where}: unknown device {role!r}; known: {', '.join(ROLES)}")
    try:
        return UsbDevice.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                             for e in exc.errors())
        raise DeviceError(f"{where}: device {role}: {problems}") from None


def parse_option(text: str) -> tuple[str, UsbDevice]:
    """``idcard=10c4:ea60:A1B2C3`` (vendor:product:serial, hex in lower case)."""
    role, _, spec = text.partition("=")
    parts = spec.split(":")
    if len(parts) != 3:
        raise DeviceError(f"--device {text!r}: want ROLE=VENDOR:PRODUCT:SERIAL")
    raw = dict(zip(("vendor", "product", "serial"), parts, strict=True))
    return role, _make(role, raw, "--device")


def load_file(path: Path) -> dict[str, UsbDevice]:
    try:
        raw = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DeviceError(f"{path}: {exc}") from None
    return {role: _make(role, spec, str(path)) for role, spec in raw.items()}


def complete(devices: dict[str, UsbDevice]) -> dict[str, UsbDevice]:
    missing = [role for role in REQUIRED_ROLES if role not in devices]
    if missing:
        raise DeviceError(f"no USB ids given for: {', '.join(missing)} (--devices FILE or "
                          "--device ROLE=VENDOR:PRODUCT:SERIAL)")
    return devices


def rules(devices: dict[str, UsbDevice]) -> str:
    lines = ["# Written by `python -m provisioning enroll`: stable names for the kiosk's",
             "# devices. Group kiosk-devices (the UI user), mode 0660: no world access.",
             ""]
    for role in ROLES:
        dev = devices.get(role)
        if dev is None:
            continue
        lines.append(
            f'SUBSYSTEM=="{dev.subsystem}", ATTRS{{idVendor}}=="{dev.vendor}", '
            f'ATTRS{{idProduct}}=="{dev.product}", ATTRS{{serial}}=="{dev.serial}", '
            f'SYMLINK+="kiosk/{role}", GROUP="{DEVICE_GROUP}", MODE="0660"')
    return "\n".join(lines) + "\n"
