"""Status events fire once per change, survive broken subscribers; backoff grows and caps."""

from __future__ import annotations

import logging

import pytest

from drivers.device import Action, DeviceState, DeviceStatus
from drivers.events import NO_ANSWER, Backoff, Detail, StatusEmitter, call_safely

log = logging.getLogger("test")


def test_emitter_reports_changes_only() -> None:
    seen: list[DeviceStatus] = []
    emitter = StatusEmitter("queue", seen.append, log)
    assert emitter.status == DeviceStatus("queue", DeviceState.STARTING)
    assert emitter.set(DeviceState.ONLINE)
    assert not emitter.set(DeviceState.ONLINE)
    assert emitter.set(DeviceState.OFFLINE, NO_ANSWER, Action.MAINTENANCE)
    assert not emitter.set(DeviceState.OFFLINE, NO_ANSWER, Action.MAINTENANCE)
    assert emitter.set(DeviceState.ONLINE)
    assert [s.state for s in seen] == [DeviceState.ONLINE, DeviceState.OFFLINE, DeviceState.ONLINE]
    assert (seen[1].detail, seen[1].detail_zh) == ("no answer", "设备无应答")


def test_a_broken_subscriber_is_logged_by_type_only(caplog: pytest.LogCaptureFixture) -> None:
    def broken(_status: DeviceStatus) -> None:
        raise RuntimeError("张示例 440304198803121237")

    emitter = StatusEmitter("idcard", broken, log)
    with caplog.at_level(logging.ERROR):
        assert emitter.set(DeviceState.ONLINE)
        call_safely(log, "on_card", broken, None)
    assert emitter.status.state is DeviceState.ONLINE
    assert "RuntimeError" in caplog.text
    assert "张示例" not in caplog.text and "4403041988" not in caplog.text


def test_detail_reads_as_english() -> None:
    assert str(Detail("paper out", "缺纸")) == "paper out"


def test_backoff_doubles_up_to_the_cap_and_resets() -> None:
    backoff = Backoff(0.5, 4.0)
    assert [backoff.next() for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    backoff.reset()
    assert backoff.next() == 0.5


@pytest.mark.parametrize(("first", "cap", "factor"), [(0, 1, 2), (2, 1, 2), (1, 2, 0.5)])
def test_backoff_refuses_nonsense(first: float, cap: float, factor: float) -> None:
    with pytest.raises(ValueError):
        Backoff(first, cap, factor)
