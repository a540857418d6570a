"""Per-department circuit breakers: after repeated outages a department is marked
unavailable (the home tile says so, with the reason), calls to it fail at once
instead of making the citizen wait for a timeout, and a prober asks its health
endpoint until it answers again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from common.events import Topic
from kiosk.services.gateway import ServiceError

log = logging.getLogger(__name__)

# Failures that say "the department is not there", as opposed to "not for this citizen".
OUTAGE_KINDS = {"unavailable", "timeout", "bad_response"}

class DepartmentChange(NamedTuple):
    department: str
    up: bool
    reason: str  # the outage kind while down, "" when back


@dataclass
class _State:
    up: bool = True
    reason: str = ""
    failures: int = 0  # consecutive outages
    last_probe: float = 0.0


class BreakerBoard:
    def __init__(
        self,
        threshold: int = 3,
        probe_interval_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold = threshold
        self.probe_interval_s = probe_interval_s
        self._clock = clock
        self._lock = threading.Lock()
        self._states: dict[str, _State] = {}
        # A department went down or came back (on the thread that noticed it).
        self.changed: Topic[DepartmentChange] = Topic("breakers.changed")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _state(self, department: str) -> _State:
        return self._states.setdefault(department, _State())

    def is_up(self, department: str) -> bool:
        with self._lock:
            return self._state(department).up

    def reason(self, department: str) -> str:
        with self._lock:
            return self._state(department).reason

    def check(self, department: str) -> None:
        """Before a call: fail fast while the department is marked unavailable."""
        with self._lock:
            state = self._state(department)
            if not state.up:
                raise ServiceError("unavailable", f"{department} is marked unavailable")

    def success(self, department: str) -> None:
        with self._lock:
            state = self._state(department)
            state.failures = 0
            changed = not state.up
            state.up, state.reason = True, ""
        if changed:
            log.info("department %s is back", department)
            self._notify(department, True, "")

    def failure(self, department: str, exc: ServiceError) -> None:
        if exc.kind not in OUTAGE_KINDS:
            return  # "no such citizen" says nothing about the department's health
        with self._lock:
            state = self._state(department)
            state.failures += 1
            state.reason = exc.kind
            tripped = state.up and state.failures >= self.threshold
            if tripped:
                state.up = False
                state.last_probe = self._clock()
        if tripped:
            log.warning("department %s marked unavailable (%s)", department, exc.kind)
            self._notify(department, False, exc.kind)

    def due_for_probe(self) -> list[str]:
        now = self._clock()
        with self._lock:
            due = [
                name
                for name, s in self._states.items()
                if not s.up and now - s.last_probe >= self.probe_interval_s
            ]
            for name in due:
                self._states[name].last_probe = now
        return due

    def _notify(self, department: str, up: bool, reason: str) -> None:
        self.changed.publish(DepartmentChange(department, up, reason))

    # -- the prober ------------------------------------------------------------------
    def start_probing(self, probe: Callable[[str], None]) -> None:
        """``probe(department)`` raises ServiceError while the department is down."""

        def run() -> None:
            while not self._stop.wait(min(1.0, self.probe_interval_s)):
                for department in self.due_for_probe():
                    try:
                        probe(department)
                    except ServiceError as exc:
                        with self._lock:
                            self._state(department).reason = exc.kind
                    else:
                        self.success(department)

        self._thread = threading.Thread(target=run, name="department-prober", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)


class DepartmentClient:
    """A ``BackendClient`` seen through one department's breaker; same calls."""

    def __init__(self, client, department: str, board: BreakerBoard) -> None:
        self._client = client
        self.department = department
        self._board = board

    def post_json(self, path: str, body: dict) -> dict:
        return self._guarded(self._client.post_json, path, body)

    def get_json(self, path: str) -> dict:
        return self._guarded(self._client.get_json, path)

    def _guarded(self, call, *args) -> dict:
        self._board.check(self.department)
        try:
            result = call(*args)
        except ServiceError as exc:
            self._board.failure(self.department, exc)
            raise
        self._board.success(self.department)
        return result
