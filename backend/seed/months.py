"""Month arithmetic on "YYYY-MM" strings, for generated histories."""

from __future__ import annotations


def index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def month(idx: int) -> str:
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def span(first: str, count: int) -> list[str]:
    """``count`` consecutive months from ``first``."""
    start = index(first)
    return [month(start + i) for i in range(count)]


def add(first: str, n: int) -> str:
    return month(index(first) + n)
