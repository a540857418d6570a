"""Chinese plate numbers (号牌号码) and VIN endings, checked before anything is sent.

A plate is a province abbreviation, the issuing authority's letter, then five
characters (ordinary plates, 7 in all) or six (new-energy plates, 8 in all: a
small car's start with its energy-type letter, a large vehicle's end with it).
Letters I and O are never used: they read as 1 and 0. Plates are personal: this
module never logs, and its messages never quote the input.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, no O
DIGITS = "0123456789"
SERIAL = LETTERS + DIGITS
NEW_ENERGY = "DABCEFGHJK"  # energy-type letters (D/A-C/E: electric, F/G/H/J/K: hybrid)
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ" + DIGITS  # a VIN has no I, O or Q


@dataclass(frozen=True)
class PlateCheck:
    ok: bool
    kind: str = ""  # "ordinary" | "new_energy_small" | "new_energy_large"
    problem: str = ""  # "length" | "province" | "authority" | "character" | "new_energy"


def normalize_plate(raw: str) -> str:
    """What a citizen may type around the plate goes: spaces, the middle dot, dashes;
    letters become capitals."""
    return "".join(ch for ch in raw if ch not in " ·•.-").upper()


def check_plate(raw: str) -> PlateCheck:
    plate = normalize_plate(raw)
    if len(plate) not in (7, 8):
        return PlateCheck(False, problem="length")
    if plate[0] not in PROVINCES:
        return PlateCheck(False, problem="province")
    if plate[1] not in LETTERS:
        return PlateCheck(False, problem="authority")
    serial = plate[2:]
    if any(ch not in SERIAL for ch in serial):
        return PlateCheck(False, problem="character")
    if len(serial) == 5:
        return PlateCheck(True, "ordinary")
    if serial[0] in NEW_ENERGY and serial[2:].isdigit():
        return PlateCheck(True, "new_energy_small")
    if serial[:5].isdigit() and serial[5] in NEW_ENERGY:
        return PlateCheck(True, "new_energy_large")
    return PlateCheck(False, problem="new_energy")


def is_valid_vin6(raw: str) -> bool:
    vin = raw.strip().upper()
    return len(vin) == 6 and all(ch in VIN_CHARS for ch in vin)


def format_plate(plate: str) -> str:
    """粤BD12345 → 粤B·D12345, as it is painted on the plate."""
    plate = normalize_plate(plate)
    return f"{plate[:2]}·{plate[2:]}" if len(plate) > 2 else plate


def mask_plate(plate: str) -> str:
    """粤BD12345 → 粤B·D***45: enough to recognise your car, not to be read over a shoulder."""
    plate = normalize_plate(plate)
    if len(plate) < 6:
        return "*" * len(plate)
    return format_plate(plate[:3] + "*" * (len(plate) - 5) + plate[-2:])
