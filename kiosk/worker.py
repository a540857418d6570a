"""Runs blocking work (HTTP, printing) off the UI thread and posts the outcome back."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
Post = Callable[[Callable[[], None]], None]  # schedules a call on the UI thread

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, post: Post, threads: int = 2):
        self._post = post
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kiosk-worker")
        # One thread for writes whose order matters (a setting toggled twice quickly).
        self._serial = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-writer")

    def run(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None],
    ) -> Future[Any]:
        return self._pool.submit(self._body(job, on_done, on_error))

    def run_in_order(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None],
    ) -> Future[Any]:
        """Like ``run``, but jobs given here run one at a time, in the order given."""
        return self._serial.submit(self._body(job, on_done, on_error))

    def _body(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None],
    ) -> Callable[[], None]:
        def body() -> None:
            try:
                result = job()
            except Exception as exc:  # handed to the UI, which tells the citizen
                log.info("background job failed: %s", type(exc).__name__)
                self._post(lambda exc=exc: on_error(exc))
            else:
                self._post(lambda: on_done(result))

        return body

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._serial.shutdown(wait=True)  # ordered writes are never dropped
