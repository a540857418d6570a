"""One clock for everything a citizen reads: the terminal's own time zone.

The machine may keep UTC (most servers and images do); the attract screen, the
tickets, the receipts, the payment deadline and the voice all show the time of the
hall the terminal stands in, ``terminal.time_zone`` in the config.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo


class LocalClock:
    def __init__(self, zone: str, now: Callable[[], float] = time.time) -> None:
        self.zone = ZoneInfo(zone)
        self._now = now

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._now(), self.zone)

    def local(self, moment: datetime | str) -> datetime:
        """A moment from elsewhere (an aware datetime or ISO text) in the hall's time."""
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        if moment.tzinfo is None:
            raise ValueError("a moment without a time zone cannot be placed")
        return moment.astimezone(self.zone)
