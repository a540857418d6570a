"""Events a listener got on another thread; tests wait on it instead of sleeping."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Recorder(Generic[T]):
    def __init__(self, timeout: float = 10.0) -> None:
        self.items: list[T] = []
        self.timeout = timeout
        self._cond = threading.Condition()

    def add(self, item: T) -> None:
        with self._cond:
            self.items.append(item)
            self._cond.notify_all()

    def wait_for_last(self, what: str, test: Callable[[T], bool]) -> T:
        """Until the latest event passes ``test``; that event."""
        with self._cond:
            ok = self._cond.wait_for(lambda: bool(self.items) and test(self.items[-1]),
                                     self.timeout)  # fmt: skip
            assert ok, f"no {what}; saw {self.items}"
            return self.items[-1]
