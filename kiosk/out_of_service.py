"""The out-of-service setting, with one owner: set remotely by maintenance staff (or at
start from what was saved), read by the controller (no new session may start) and shown
by the attract screen. It survives a restart; a session already running may finish.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Protocol

from common.events import Topic

log = logging.getLogger(__name__)
KEY = "out_of_service"  # its key in the terminal store


class Store(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def put(self, key: str, value: Any) -> None: ...


# The worker's run_in_order: saves run one at a time, in order, off the UI thread.
RunInOrder = Callable[[Callable[[], None], Callable[[Any], None], Callable[[Exception], None]],
                      Future]


class OutOfService:
    def __init__(self, store: Store, run_in_order: RunInOrder) -> None:
        self._store = store
        self._run_in_order = run_in_order
        self._on = bool(store.get(KEY, False))  # what was saved before the restart
        self.changed: Topic[bool] = Topic("out_of_service.changed")

    @property
    def on(self) -> bool:
        return self._on

    def set(self, on: bool) -> Future:
        """Takes effect at once; the write goes to the worker (in order, so two quick
        toggles keep the last). The future is done when the setting is on disk."""
        self._on = bool(on)
        self.changed.publish(self._on)
        value = self._on
        return self._run_in_order(lambda: self._store.put(KEY, value), lambda _r: None,
                                  log.warning)  # fmt: skip
