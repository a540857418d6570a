"""What every driver does alike: report each status change once (on a ``Topic``, the
one event mechanism, common/events.py), call subscribers safely, and wait longer
between reconnect attempts the longer a device stays away.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import NamedTuple

from common.events import Topic, call_safely  # noqa: F401  (re-exported for drivers)
from drivers.device import Action, DeviceState, DeviceStatus

StatusCallback = Callable[[DeviceStatus], None]


class Detail(NamedTuple):
    """A short, non-personal explanation in both languages."""

    en: str
    zh: str

    def __str__(self) -> str:
        return self.en


NO_DETAIL = Detail("", "")
PORT_MISSING = Detail("port missing", "端口不存在（设备未连接）")
PORT_IN_USE = Detail("port in use", "端口被其他程序占用")
SERIAL_ERROR = Detail("serial error", "串口错误")
NO_ANSWER = Detail("no answer", "设备无应答")


class StatusEmitter:
    """The latest status of one device, published on ``topic`` on changes only.

    Safe to read from any thread; ``set`` is called from the driver's thread. An
    ``on_status`` callback given here is subscribed to the topic.
    """

    def __init__(
        self,
        device: str,
        on_status: StatusCallback | None,
        log: logging.Logger,
        topic: Topic[DeviceStatus] | None = None,
    ) -> None:
        self._status = DeviceStatus(device, DeviceState.STARTING)
        self.topic: Topic[DeviceStatus] = topic or Topic("on_status", logger=log)
        if on_status is not None:
            self.topic.subscribe(on_status)
        self._log = log
        self._lock = threading.Lock()

    @property
    def status(self) -> DeviceStatus:
        return self._status

    def set(
        self, state: DeviceState, detail: Detail = NO_DETAIL, action: Action = Action.NONE
    ) -> bool:
        """Record a status; True (and one event) if it differs from the last one."""
        return self.publish(DeviceStatus(self._status.device, state, detail.en, action,
                                         detail.zh))  # fmt: skip

    def publish(self, status: DeviceStatus) -> bool:
        """Record a whole status (the printer's carries its paper level); True if new."""
        with self._lock:
            if status == self._status:
                return False
            self._status = status
        self._log.info("status %s %s", status.state.value, status.detail)
        self.topic.publish(status)
        return True


class Backoff:
    """Reconnect delays: ``first``, doubling on each failure, never above ``cap``.

    A device unplugged for the night is not hammered, and one plugged back in a
    moment later is found within ``first`` seconds.
    """

    def __init__(self, first: float = 0.5, cap: float = 8.0, factor: float = 2.0) -> None:
        if not 0 < first <= cap or factor < 1:
            raise ValueError("need 0 < first <= cap and factor >= 1")
        self.first, self.cap, self.factor = first, cap, factor
        self._next = first

    def next(self) -> float:
        """The delay before the next attempt; each call lengthens the one after."""
        delay = self._next
        self._next = min(self.cap, self._next * self.factor)
        return delay

    def reset(self) -> None:
        """The device answered: the next loss starts again from ``first``."""
        self._next = self.first
