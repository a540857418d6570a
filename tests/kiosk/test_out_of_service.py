"""The out-of-service setting has one owner: read at start, set at once, saved in order."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from kiosk.out_of_service import KEY, OutOfService


class Store(dict):
    def put(self, key: str, value: Any) -> None:
        self[key] = value


class Later:
    """The worker's run_in_order, run by hand: saves wait until ``run`` is called."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Any, Future]] = []

    def __call__(self, job, on_done, on_error) -> Future:
        future: Future = Future()
        self.jobs.append((job, future))
        return future

    def run(self) -> None:
        for job, future in self.jobs:
            future.set_result(job())
        self.jobs.clear()


def test_starts_from_what_was_saved() -> None:
    assert OutOfService(Store({KEY: True}), Later()).on
    assert not OutOfService(Store(), Later()).on


def test_takes_effect_at_once_is_saved_later_and_the_last_toggle_wins() -> None:
    store, later = Store(), Later()
    setting = OutOfService(store, later)
    seen: list[bool] = []
    setting.changed.subscribe(seen.append)
    saved = [setting.set(on) for on in (True, False, True)]
    assert setting.on and seen == [True, False, True] and KEY not in store  # not yet on disk
    later.run()
    assert all(f.done() for f in saved) and store[KEY] is True
