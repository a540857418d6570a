"""Service statistics from the session's phase changes: one record per session.

Reads only what is not personal: which service, how it ended, how long it took,
the rating, whether a document was printed. The citizen is never looked at.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from kiosk.session import Phase, Session


class ServiceStats:
    def __init__(
        self,
        session: Session,
        emit: Callable[[dict[str, Any]], Any],
        printed: Callable[[], bool] = lambda: False,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._session = session
        self._emit = emit
        self._printed_now = printed
        self._clock = clock
        self._started = 0.0
        self._printed = False
        session.subscribe(self._on_phase)

    def _on_phase(self, old: Phase, new: Phase) -> None:
        if new is Phase.IDENTIFYING:
            self._started, self._printed = self._clock(), False
        elif old is Phase.PRINTING:
            self._printed = self._printed or self._printed_now()
        if new is Phase.ENDED:
            s = self._session
            self._emit({
                "ts": round(time.time(), 3),
                "service": s.service or "none",  # "none": left before choosing a service
                "outcome": s.end_reason or "unknown",  # rated, timeout, cancelled
                "duration_s": round(self._clock() - self._started, 1),
                "rating": s.rating,
                "printed": self._printed,
            })
