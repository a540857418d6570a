"""From what the kiosk knows to the health state it reports, its light and its alarms.

Pure functions: no MQTT, no Kivy, so the rules are tested directly.
The light answers "does someone have to act?": red when citizens cannot be served
or an engineer must come; yellow when site staff can fix it (paper) or a resource
runs short; green otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from common.contract import paper_level, worst

# Thresholds (percent, °C): (yellow, red).
DISK = (90, 97)
MEM = (95, 101)  # memory only ever warns
TEMP = (75.0, 85.0)
HARD_DOWN = {"hardware_error", "no_device", "offline"}


@dataclass(frozen=True)
class DeviceView:
    """The fields of drivers.device.DeviceStatus this package reads (and no others)."""

    state: str
    detail: str = ""  # English
    action: str = "none"
    usable: bool = True
    detail_zh: str = ""  # the same in Chinese, for a console shown in Chinese
    paper: str = ""  # a device with a roll: "ok", "low", "out" or "unknown"; else ""


@dataclass
class Snapshot:
    """What the app tells the reporter. Never anything personal."""

    devices: dict[str, DeviceView] = field(default_factory=dict)
    screen: str = ""
    in_session: bool = False
    out_of_service: bool = False
    staff_called: bool = False  # a citizen touched "call staff" (呼叫工作人员)


def device_view(status: Any) -> DeviceView:
    return DeviceView(
        state=str(status.state.value), detail=str(status.detail or ""),
        action=str(status.action.value), usable=bool(status.usable),
        detail_zh=str(getattr(status, "detail_zh", "") or ""),
        paper=str(getattr(status, "paper", None) or ""),
    )


def _details(dev: DeviceView) -> dict[str, str]:
    """``detail`` (English) and, when the driver gave one, ``detail_zh`` (contract v1.1)."""
    out = {"detail": dev.detail} if dev.detail else {}
    if dev.detail_zh:
        out["detail_zh"] = dev.detail_zh
    return out


def _threshold(value: float | None, limits: tuple[float, float]) -> str | None:
    if value is None or value < limits[0]:
        return None
    return "red" if value >= limits[1] else "yellow"


def alarms_for(snap: Snapshot, sys: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Active alarms by key → {"severity", "detail", "action"}."""
    alarms: dict[str, dict[str, str]] = {}
    for name, dev in snap.devices.items():
        if dev.state == "starting":
            continue  # not known yet: no alarm while a driver opens its port
        if not dev.usable:
            severity = "red" if dev.action == "maintenance" or dev.state in HARD_DOWN else "yellow"
            alarms[f"device.{name}"] = {
                "severity": severity, "detail": dev.detail or dev.state, "action": dev.action,
                **({"detail_zh": dev.detail_zh} if dev.detail_zh else {}),
            }
        elif dev.action == "clear":  # usable, but staff should act (paper near end)
            alarms[f"device.{name}"] = {
                "severity": "yellow", "action": dev.action, **_details(dev),
                "detail": dev.detail,
            }
    if snap.staff_called:  # one alarm however often it was touched; see fleet-contract.md
        alarms["staff.call"] = {
            "severity": "yellow", "detail": "a citizen asks for help",
            "detail_zh": "市民请求工作人员协助", "action": "clear",
        }
    for key, value, limits, unit in (
        ("disk.full", sys.get("disk"), DISK, "%"),
        ("mem.high", sys.get("mem"), MEM, "%"),
        ("temp.high", sys.get("temp"), TEMP, "°C"),
    ):
        severity = _threshold(value, limits)
        if severity:
            alarms[key] = {
                "severity": severity, "detail": f"{value}{unit}", "action": "maintenance",
            }
    return alarms


def light_for(snap: Snapshot, alarms: dict[str, dict[str, str]]) -> str:
    lights = [a["severity"] for a in alarms.values()]
    if snap.out_of_service:
        lights.append("red")
    return worst(lights)


def health_body(
    snap: Snapshot, sys: dict[str, Any], alarms: dict[str, dict[str, str]], **ids: Any
) -> dict[str, Any]:
    """The retained health payload (contract v1, see docs/fleet-contract.md)."""
    printer = snap.devices.get("printer")
    return {
        **ids,  # ts, bdseq, version, config
        "light": light_for(snap, alarms),
        "oos": snap.out_of_service,
        "session": snap.in_session,
        "screen": snap.screen,
        "devices": {
            name: {"state": d.state, "action": d.action} | _details(d)
            for name, d in sorted(snap.devices.items())
        },
        "paper": paper_level(printer.state, printer.paper) if printer else "unknown",
        "alarms": sorted(alarms),
        "sys": sys,
    }


# Fields whose change is worth a message now; the rest rides on the next heartbeat.
SIGNIFICANT = ("light", "oos", "devices", "paper", "alarms", "version", "config")


def significant(body: dict[str, Any]) -> tuple:
    return tuple(repr(body.get(k)) for k in SIGNIFICANT)
