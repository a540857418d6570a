"""One clock: what a citizen reads is the hall's time, whatever zone the machine keeps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.clock import LocalClock

NOON_UTC = datetime(2026, 12, 2, 12, 0, tzinfo=UTC).timestamp()


def test_now_is_in_the_configured_zone_not_the_machines():
    clock = LocalClock("Asia/Shanghai", now=lambda: NOON_UTC)
    assert clock.now().strftime("%Y-%m-%d %H:%M") == "2026-12-02 20:00"
    assert LocalClock("Asia/Urumqi", now=lambda: NOON_UTC).now().hour == 18


def test_a_back_end_moment_is_shown_in_the_halls_time():
    clock = LocalClock("Asia/Shanghai")
    assert clock.local("2026-12-02T07:35:00+00:00").strftime("%H:%M") == "15:35"
    assert clock.local("2026-12-02T15:35:00+08:00").strftime("%H:%M") == "15:35"
    with pytest.raises(ValueError, match="time zone"):
        clock.local("2026-12-02T15:35:00")  # naive: nobody can tell which 15:35
