"""The printer simulator on a real pty, its pages under the test's folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.printer.simulator import PrinterSimulator


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[PrinterSimulator]:
    with PrinterSimulator(tmp_path / "pages") as s:
        yield s
