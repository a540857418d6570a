"""The "are you still there?" countdown in the last seconds of an idle session: open it
(and say so once) while the session warns, keep its seconds current, close it otherwise.

Kivy-free: ``dialog`` is anything with ``seconds``, ``is_open``, ``open_once()`` and
``dismiss()`` (screens/timeout_dialog.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from kiosk.session import Session


class Dialog(Protocol):
    seconds: float

    @property
    def is_open(self) -> bool: ...
    def open_once(self) -> None: ...
    def dismiss(self) -> None: ...


class TimeoutWarning:
    def __init__(self, session: Session, dialog: Dialog, say_timeout: Callable[[], None]):
        self._session, self._dialog, self._say = session, dialog, say_timeout

    def tick(self) -> None:
        if not self._session.warning:
            self._dialog.dismiss()
            return
        self._dialog.seconds = int(self._session.remaining + 0.99)
        if not self._dialog.is_open:
            self._say()  # once as it opens, not on every tick
        self._dialog.open_once()
