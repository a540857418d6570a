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

    def run(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None],
    ) -> Future[Any]:
        def body() -> None:
            try:
                result = job()
            except Exception as exc:  # handed to the UI, which tells the citizen
                log.info("background job failed: %s", type(exc).__name__)
                self._post(lambda exc=exc: on_error(exc))
            else:
                self._post(lambda: on_done(result))

        return self._pool.submit(body)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
