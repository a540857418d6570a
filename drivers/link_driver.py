"""A ``Driver`` that owns a serial link on its thread (the ID card and queue devices).

Only that thread touches the port. What the thread does with the link (poll for
cards, serve ticket requests) is the subclass's ``_run``, which ends when
``self._stop`` is set and closes the link on its way out.
"""

from __future__ import annotations

import logging
import threading

from drivers.driver import Driver
from drivers.events import Backoff, StatusCallback
from drivers.serial_link import SerialLink


class LinkDriver(Driver):
    def __init__(
        self,
        device: str,
        link: SerialLink,
        stop: threading.Event,
        *,
        on_status: StatusCallback | None,
        reopen_interval: float,
        reopen_max: float,
        log: logging.Logger,
    ) -> None:
        super().__init__(device, on_status=on_status, stop=stop, log=log)
        self._link = link
        # A device unplugged for the night is not hammered; one plugged back is found fast.
        self._backoff = Backoff(reopen_interval, max(reopen_interval, reopen_max))

    def _released(self) -> None:
        self._link.close()
