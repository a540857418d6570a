"""Plate and VIN checks: examples from the standard, and properties over every plate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.departments.traffic.plates import (
    DIGITS,
    LETTERS,
    NEW_ENERGY,
    PROVINCES,
    SERIAL,
    check_plate,
    format_plate,
    is_valid_vin6,
    mask_plate,
    normalize_plate,
)

province = st.sampled_from(PROVINCES)
letter = st.sampled_from(LETTERS)
serial_char = st.sampled_from(SERIAL)
digit = st.sampled_from(DIGITS)
nev = st.sampled_from(NEW_ENERGY)


def text(*parts):
    return st.tuples(*parts).map("".join)


ordinary = text(province, letter, *[serial_char] * 5)
small_nev = text(province, letter, nev, serial_char, *[digit] * 4)
large_nev = text(province, letter, *[digit] * 5, nev)
any_valid = st.one_of(ordinary, small_nev, large_nev)


@pytest.mark.parametrize(("plate", "kind"), [
    ("粤B12345", "ordinary"), ("京A·F0236", "ordinary"), ("沪C 8X9Y7", "ordinary"),
    ("粤BD12345", "new_energy_small"), ("粤B·DF1234", "new_energy_small"),
    ("粤B12345D", "new_energy_large"), ("琼a·67890f", "new_energy_large"),
])
def test_examples_are_accepted(plate: str, kind: str) -> None:
    assert check_plate(plate).ok and check_plate(plate).kind == kind


@pytest.mark.parametrize(("plate", "problem"), [
    ("粤B1234", "length"), ("粤B123456789", "length"), ("", "length"),
    ("港B12345", "province"), ("AB12345", "province"), ("粤112345", "authority"),
    ("粤I12345", "authority"), ("粤B1234O", "character"), ("粤B12I45", "character"),
    ("粤B1234粤", "character"), ("粤BX12345", "new_energy"), ("粤BD1A345", "new_energy"),
    ("粤B1234DD", "new_energy"),
])
def test_bad_plates_say_why(plate: str, problem: str) -> None:
    assert check_plate(plate) == check_plate(plate) and check_plate(plate).problem == problem
    assert not check_plate(plate).ok


@given(any_valid)
def test_every_valid_plate_is_accepted_however_it_is_typed(plate: str) -> None:
    assert check_plate(plate).ok
    assert check_plate(format_plate(plate).lower()).ok
    assert check_plate(" " + plate[:2] + " · " + plate[2:] + " ").ok


@given(any_valid, st.integers(0, 7), st.sampled_from("IOio!乙港"))
def test_one_bad_character_anywhere_is_refused(plate: str, at: int, bad: str) -> None:
    at %= len(plate)
    assert not check_plate(plate[:at] + bad + plate[at + 1:]).ok


@given(any_valid, st.integers(1, 3))
def test_too_short_or_too_long_is_refused(plate: str, n: int) -> None:
    assert check_plate(plate[: 7 - n]).problem == "length"
    assert check_plate(plate + "1" * (9 - len(plate) + n - 1)).problem == "length"


@given(st.text(max_size=12))
def test_normalizing_is_idempotent_and_checks_never_crash(raw: str) -> None:
    assert normalize_plate(normalize_plate(raw)) == normalize_plate(raw)
    result = check_plate(raw)
    assert result.ok == (result.problem == "")


@given(any_valid)
def test_masking_keeps_the_ends_only(plate: str) -> None:
    masked = mask_plate(plate)
    assert masked.startswith(plate[:2] + "·" + plate[2]) and masked.endswith(plate[-2:])
    assert masked.count("*") == len(plate) - 5


def test_vin_endings() -> None:
    assert is_valid_vin6("312846") and is_valid_vin6("a1b2c3")
    for bad in ("31284", "3128467", "31284O", "31284I", "31284Q", "3128 6"):
        assert not is_valid_vin6(bad)
