"""The attract screen's out-of-order line: unusable devices and closed departments."""

from __future__ import annotations

from drivers.device import DeviceState, DeviceStatus
from ui.out_of_order import out_of_order_line

NAMES = {"device.printer": "打印机", "device.idcard": "身份证读卡器"}


def t(key: str, **values: object) -> str:
    if key == "attract.out_of_order":
        return f"暂不可用：{values['what']}"
    return NAMES.get(key, key)


def test_names_what_does_not_work_and_skips_devices_still_starting() -> None:
    statuses = {
        "idcard": DeviceStatus("idcard", DeviceState.STARTING),
        "printer": DeviceStatus("printer", DeviceState.USER_ERROR, "paper out"),
        "queue": DeviceStatus("queue", DeviceState.ONLINE),
    }
    assert out_of_order_line(t, "zh", statuses, ["交管"]) == "暂不可用：打印机、交管"
    assert out_of_order_line(t, "en", statuses, ["交管"]) == "暂不可用：打印机, 交管"


def test_nothing_down_is_no_line() -> None:
    assert out_of_order_line(t, "zh", {"printer": DeviceStatus("printer", DeviceState.BUSY)},
                             []) == ""
