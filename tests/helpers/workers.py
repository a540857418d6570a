"""Stand-ins for kiosk.worker.Worker in controller and flow tests: the logic without threads."""

from __future__ import annotations


class InlineWorker:
    """Runs each job at once on the caller's thread (so in order, too)."""

    def run(self, job, on_done, on_error) -> None:
        try:
            result = job()
        except Exception as exc:
            on_error(exc)
        else:
            on_done(result)

    run_in_order = run
