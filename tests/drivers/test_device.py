"""The shared device model: backward compatible, and bilingual."""

from __future__ import annotations

from drivers.device import Action, DeviceState, DeviceStatus


def test_positional_construction_still_works() -> None:
    status = DeviceStatus("printer", DeviceState.USER_ERROR, "paper out", Action.CLEAR)
    assert (status.detail, status.action, status.detail_zh) == ("paper out", Action.CLEAR, "")
    assert not status.usable
    assert DeviceStatus("idcard", DeviceState.BUSY).usable
    assert DeviceStatus("idcard", DeviceState.ONLINE).usable


def test_detail_in_a_language_falls_back_to_english() -> None:
    both = DeviceStatus("queue", DeviceState.USER_ERROR, "paper out", Action.CLEAR, "缺纸")
    assert both.detail_in("zh") == "缺纸"
    assert both.detail_in("en") == "paper out"
    assert DeviceStatus("queue", DeviceState.OFFLINE, "no answer").detail_in("zh") == "no answer"


def test_the_chinese_detail_is_a_translation_not_a_new_state() -> None:
    a = DeviceStatus("idcard", DeviceState.OFFLINE, "no answer", Action.MAINTENANCE, "设备无应答")
    b = DeviceStatus("idcard", DeviceState.OFFLINE, "no answer", Action.MAINTENANCE)
    assert a == b  # hubs deduplicate on ==: the same event must not fire twice
    assert a != DeviceStatus("idcard", DeviceState.OFFLINE, "serial error", Action.MAINTENANCE)
