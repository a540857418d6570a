"""The citizen's session: idle → identifying → in service → printing → rating → ended.

A plain state machine with no Kivy and no I/O. It holds everything personal about
the citizen being served and wipes it on every way out (rating done, timeout,
cancel, device fault), so no screen and no log can show it afterwards. Time comes
from an injected clock so timeouts are testable without waiting.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

from kiosk.config import SessionConfig


class Phase(StrEnum):
    IDLE = "idle"
    IDENTIFYING = "identifying"
    IN_SERVICE = "in_service"
    PRINTING = "printing"
    RATING = "rating"
    ENDED = "ended"


# Which phase may follow which; anything else is a programming error.
_ALLOWED: dict[Phase, set[Phase]] = {
    Phase.IDLE: {Phase.IDENTIFYING},
    Phase.IDENTIFYING: {Phase.IN_SERVICE, Phase.ENDED},
    Phase.IN_SERVICE: {Phase.PRINTING, Phase.RATING, Phase.ENDED},
    Phase.PRINTING: {Phase.IN_SERVICE, Phase.RATING, Phase.ENDED},
    Phase.RATING: {Phase.ENDED},
    Phase.ENDED: {Phase.IDLE},
}

# Phases in which an idle citizen is timed out. Printing is machine time, not the
# citizen's: the clock restarts when it finishes.
_TIMED = {Phase.IDENTIFYING, Phase.IN_SERVICE, Phase.RATING}


@dataclass(frozen=True)
class Citizen:
    """Who is being served. Personal: lives only inside a session."""

    name: str
    id_number: str
    sex: str = ""
    birth: str = ""

    def __repr__(self) -> str:  # keeps personal data out of logs and tracebacks
        return "Citizen(<personal>)"


S = TypeVar("S")


class SessionError(RuntimeError):
    pass


Listener = Callable[[Phase, Phase], None]


class Session:
    def __init__(self, config: SessionConfig, clock: Callable[[], float] = time.monotonic):
        self.config = config
        self._clock = clock
        self._listeners: list[Listener] = []
        self.phase = Phase.IDLE
        self.citizen: Citizen | None = None
        self.service: str | None = None  # the service being used, e.g. "ss_insurance"
        # Each department's typed state (answers, steps), by its class: wiped with the session.
        self._states: dict[type, Any] = {}
        self.rating: int | None = None
        self.end_reason: str | None = None
        self.ref = ""  # random, per session: ties journal rows together, identifies nobody
        self._last_activity = clock()
        self._ended_at = 0.0

    # -- observers -------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _go(self, new: Phase) -> None:
        old = self.phase
        if new not in _ALLOWED[old]:
            raise SessionError(f"cannot go from {old.value} to {new.value}")
        self.phase = new
        self._last_activity = self._clock()
        for listener in list(self._listeners):
            listener(old, new)

    # -- the citizen's path ----------------------------------------------------
    def start(self) -> None:
        """The citizen touched the attract screen."""
        self.ref = secrets.token_hex(8)
        self._go(Phase.IDENTIFYING)

    def identified(self, citizen: Citizen) -> None:
        if self.phase is not Phase.IDENTIFYING:
            raise SessionError(f"a card was read in phase {self.phase.value}")
        self.citizen = citizen
        self._go(Phase.IN_SERVICE)

    def choose(self, service: str) -> None:
        self.service = service
        self.touch()

    def begin_printing(self) -> None:
        self._go(Phase.PRINTING)

    def printing_done(self) -> None:
        """Printing finished (or failed): the citizen is back at the service."""
        self._go(Phase.IN_SERVICE)

    def finish(self) -> None:
        """The citizen is done with the service: ask for a rating."""
        self._go(Phase.RATING)

    def rate(self, score: int) -> None:
        if not 1 <= score <= 5:
            raise ValueError("a rating is 1 to 5")
        if self.phase is not Phase.RATING:
            raise SessionError(f"cannot rate in phase {self.phase.value}")
        self.rating = score
        self.end("rated")

    def end(self, reason: str) -> None:
        """End the session for any reason; everything personal is wiped first."""
        if self.phase in (Phase.IDLE, Phase.ENDED):
            return
        self._wipe()
        self.end_reason = reason
        self._ended_at = self._clock()
        self._go(Phase.ENDED)

    def _wipe(self) -> None:
        self.citizen = None
        self._states.clear()

    def state(self, kind: type[S]) -> S:
        """This citizen's ``kind`` (a department's state class), made empty on first use.

        With nobody being served, an empty one that is not kept: a screen refreshed
        after the wipe reads nothing, and nothing is held for the next citizen."""
        found = self._states.get(kind)
        if found is None:
            found = kind()
            if self.citizen is not None:
                self._states[kind] = found
        return found

    @property
    def states(self) -> MappingProxyType[type, Any]:
        """Every state this session holds (empty after the wipe)."""
        return MappingProxyType(self._states)

    # -- time ------------------------------------------------------------------
    def touch(self) -> None:
        """Any touch on screen: the citizen is still here."""
        self._last_activity = self._clock()

    @property
    def remaining(self) -> float:
        """Seconds until the idle timeout (inf when no timeout runs)."""
        if self.phase not in _TIMED:
            return float("inf")
        idle = self._clock() - self._last_activity
        return max(0.0, self.config.idle_timeout_s - idle)

    @property
    def warning(self) -> bool:
        """True in the last ``warning_s`` seconds: time to offer "more time?"."""
        return self.remaining <= self.config.warning_s

    def tick(self) -> None:
        """Called about once a second: ends a silent session, returns to idle after thanks."""
        if self.phase in _TIMED and self.remaining <= 0:
            self.end("timeout")
        elif self.phase is Phase.ENDED and self._clock() - self._ended_at >= self.config.thanks_s:
            self.service = None
            self.rating = None
            self._go(Phase.IDLE)
