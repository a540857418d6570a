"""What becomes of a pending release: committed, rolled back, or found interrupted.

Every path is safe to cut and run again: the decision is written into the pending
record before anything changes, and ``recover`` (at boot, before the gate) finishes
whatever a power cut left half done.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from updates.layout import Layout, prune, roll_back
from updates.records import Outcome, Pending, load, remove, save


def commit(layout: Layout, pending: Pending) -> Outcome:
    outcome = Outcome(version=pending.version, result="committed", at=time.time())
    save(layout.outcome_file, outcome)
    remove(layout.pending_file)  # from here on nothing counts down
    prune(layout)
    return outcome


def back_out(layout: Layout, pending: Pending, reason: str, journal: list[str],
             restart: Callable[[], None] | None) -> Outcome:
    save(layout.pending_file, pending.model_copy(update={"rolling_back": reason}))
    if layout.slot(layout.current) == pending.version:
        roll_back(layout)
    outcome = Outcome(version=pending.version, result="rolled-back", reason=reason,
                      at=time.time(), journal=journal)
    save(layout.outcome_file, outcome)
    remove(layout.pending_file)
    if restart is not None:
        restart()
    return outcome


def recover(layout: Layout, now: float, journal: Callable[[], list[str]],
            restart: Callable[[], None] | None = None) -> Outcome | None:
    """At boot: finish a cut rollback, drop an install cut before its switch, roll back a
    release whose deadline passed while nothing judged it. None: nothing to do, or the
    gate must still judge."""
    pending = load(layout.pending_file, Pending)
    if pending is None:
        prune(layout)  # staging a cut install left behind
        return None
    if pending.rolling_back:
        return back_out(layout, pending, pending.rolling_back, journal(), restart)
    if layout.slot(layout.current) != pending.version:
        outcome = Outcome(version=pending.version, result="interrupted", at=now,
                          reason="the install was cut before the switch; "
                                 f"{layout.slot(layout.current)} kept running")
        save(layout.outcome_file, outcome)
        remove(layout.pending_file)
        prune(layout)
        return outcome
    if now > pending.switched_at + pending.deadline_s:
        return back_out(layout, pending, "deadline passed before the gate could judge it",
                        journal(), restart)
    return None
