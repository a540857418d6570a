"""The ID card benchmark runs, and no read beats the wire: the simulator's pacing holds."""

from __future__ import annotations

from bench.idcard_read import CARD, exchange_bytes, measure, percentile


def test_the_floor_is_the_bytes_of_the_three_exchanges() -> None:
    assert exchange_bytes(CARD) == (3 * 10 + 15 + 11 + 1295, 1295)


def test_reads_take_at_least_the_wire_time() -> None:
    result = measure(runs=3, baud=115200)
    assert result["floor_ms"] == 117.3 and result["read_reply_wire_ms"] == 112.4
    assert result["min_ms"] >= result["floor_ms"]  # lower bound only: load makes it slower
    assert result["ratio_median_to_floor"] >= 1.0


def test_percentile() -> None:
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile(list(map(float, range(1, 101))), 0.95) == 95.0
