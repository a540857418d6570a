"""A provisioning plan: idempotent steps, each able to say what differs and to fix it.

``run`` checks every step first and applies only the ones that differ, so a second
run changes nothing and a run that failed part-way completes when run again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO


@dataclass
class Step:
    name: str
    writes: str  # what the step writes, for the plan and the README
    check: Callable[[], list[str]]  # what differs from the plan; [] when already right
    apply: Callable[[], None]


class StepFailed(Exception):
    """A step's apply raised or left its check unsatisfied."""


def _brief(diffs: list[str], limit: int = 4) -> str:
    shown = "; ".join(diffs[:limit])
    return shown + (f"; and {len(diffs) - limit} more" if len(diffs) > limit else "")


def run(steps: list[Step], out: TextIO, dry_run: bool = False) -> int:
    """Apply ``steps`` in order. Exit status: 0 done (or dry run), 1 a step failed."""
    changed: list[str] = []
    for number, step in enumerate(steps, 1):
        head = f"[{number}/{len(steps)}] {step.name}"
        try:
            diffs = step.check()
        except Exception as exc:  # a check that cannot run is a failure, never a traceback
            _report_failure(steps, number, exc, changed, out)
            return 1
        if not diffs:
            print(f"{head}: already right, unchanged", file=out)
            continue
        if dry_run:
            print(f"{head}: would change ({step.writes}): {_brief(diffs)}", file=out)
            continue
        try:
            step.apply()
            left = step.check()
            if left:
                raise StepFailed(f"still differs after applying: {_brief(left)}")
        except Exception as exc:  # any failure: report the plan's state, then stop
            _report_failure(steps, number, exc, changed, out)
            return 1
        changed.append(step.name)
        print(f"{head}: changed ({step.writes})", file=out)
    if dry_run:
        print("dry run: nothing was written", file=out)
    elif changed:
        print(f"done: {len(changed)} step(s) changed, {len(steps) - len(changed)} already "
              "right", file=out)
    else:
        print("done: nothing to change, every step was already right", file=out)
    return 0


def _report_failure(steps: list[Step], number: int, exc: Exception, changed: list[str],
                    out: TextIO) -> None:
    step = steps[number - 1]
    print(f"[{number}/{len(steps)}] {step.name}: FAILED: {exc}", file=out)
    print(f"changed in this run: {', '.join(changed) or 'nothing'}", file=out)
    print(f"not done: {', '.join(s.name for s in steps[number - 1:])}", file=out)
    print("what to do: fix the cause above and run the same command again; the steps "
          "already right are skipped, the rest are completed", file=out)


def check(steps: list[Step], out: TextIO) -> int:
    """Report every difference from the plan; 0 when none, 1 otherwise."""
    differing = 0
    for step in steps:
        try:
            diffs = step.check()
        except Exception as exc:
            diffs = [f"cannot check: {exc}"]
        if diffs:
            differing += 1
            for diff in diffs:
                print(f"DIFFERS {step.name}: {diff}", file=out)
        else:
            print(f"ok      {step.name}", file=out)
    print(f"{differing} step(s) differ from the plan" if differing
          else "the machine matches the plan", file=out)
    return 1 if differing else 0
