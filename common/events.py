"""One small typed publish/subscribe, used by the drivers, the device hub, the session,
the department breakers and the journal alike.

A ``Topic[T]`` carries events of one type. ``subscribe`` returns a function that
unsubscribes. ``publish`` calls every listener (through the topic's ``dispatch``,
e.g. "run this on the UI thread", when one was given); a listener that raises is
logged, by exception type only (its message may carry a citizen's data), and the
other listeners still get the event. Safe to use from any thread: the listener list
is copied under a lock before it is walked, so a listener may unsubscribe itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
Listener = Callable[[T], None]
Dispatch = Callable[[Callable[[], None]], None]

log = logging.getLogger(__name__)


def call_safely(
    log: logging.Logger, name: str, callback: Callable[..., None], *args: object
) -> None:
    """Call a listener; a broken one must not kill the thread that told it.

    Only the exception's type is logged: its message may carry a citizen's data.
    """
    try:
        callback(*args)
    except Exception as e:
        log.error("%s callback raised %s", name, type(e).__name__)


class Topic(Generic[T]):
    """Events of one type; listeners in the order they subscribed."""

    def __init__(
        self, name: str, *, dispatch: Dispatch | None = None, logger: logging.Logger = log
    ) -> None:
        self.name = name
        self._dispatch = dispatch
        self._log = logger
        self._lock = threading.Lock()
        self._listeners: list[Listener[T]] = []

    def subscribe(self, listener: Listener[T]) -> Callable[[], None]:
        """Add ``listener``; the returned function removes it again."""
        with self._lock:
            self._listeners.append(listener)
        return lambda: self.unsubscribe(listener)

    def unsubscribe(self, listener: Listener[T]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def __len__(self) -> int:
        with self._lock:
            return len(self._listeners)

    def publish(self, event: T) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            if self._dispatch is None:
                call_safely(self._log, self.name, listener, event)
            else:
                self._dispatch(
                    lambda listener=listener: call_safely(self._log, self.name, listener, event)
                )
