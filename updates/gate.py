"""The commit rule: a new release is kept only when it is known to work.

Within the pending record's deadline, all must hold at once:
- the UI unit is active and has not restarted since the gate first saw it;
- the UI's main-thread heartbeat (written by ui/watchdog.py with each watchdog ping)
  comes from the new release and has advanced for the settle period;
- every device whose self-test passed on the old release just before the switch
  passes on the new one (a device already broken before does not count against it);
- the health agent has reported the new version to the fleet.
A restart or a failed unit rolls back at once; a deadline passed rolls back with the
checks that did not hold. Committing deletes the pending record: from then on nothing
counts down, so power cuts never send a committed release back (RAUC #490).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from updates.records import Pending


@dataclass(frozen=True)
class Heartbeat:
    version: str
    pid: int
    beats: int
    devices: dict[str, bool]


@dataclass(frozen=True)
class Evidence:
    """What the gate sees at one moment."""

    now: float
    unit_active: bool
    unit_failed: bool
    unit_restarts: int
    heartbeat: Heartbeat | None
    reported_version: str | None


@dataclass
class Watch:
    """What the gate remembers between looks (in memory: a cut gate starts afresh)."""

    restarts: int | None = None
    pid: int | None = None
    first_beat: tuple[float, int] | None = None  # (when, beats) first seen from the new release


@dataclass(frozen=True)
class Check:
    key: str
    passed: Callable[[Pending, Evidence, Watch, float], bool]


def _ui_steady(p: Pending, e: Evidence, w: Watch, settle_s: float) -> bool:
    return e.unit_active and e.unit_restarts == w.restarts


def _heartbeat(p: Pending, e: Evidence, w: Watch, settle_s: float) -> bool:
    beat = e.heartbeat
    if beat is None or beat.version != p.version or w.first_beat is None:
        return False
    since, beats = w.first_beat
    return e.now - since >= settle_s and beat.beats > beats


def _devices(p: Pending, e: Evidence, w: Watch, settle_s: float) -> bool:
    return bool(e.heartbeat) and not broken_devices(p, e)


def _reported(p: Pending, e: Evidence, w: Watch, settle_s: float) -> bool:
    return e.reported_version == p.version


CHECKS = (
    Check("ui-steady", _ui_steady),
    Check("heartbeat", _heartbeat),
    Check("devices", _devices),
    Check("reported", _reported),
)


def broken_devices(p: Pending, e: Evidence) -> list[str]:
    now = e.heartbeat.devices if e.heartbeat else {}
    return sorted(d for d, ok in p.baseline.items() if ok and not now.get(d, False))


@dataclass(frozen=True)
class Verdict:
    decision: str  # "commit", "roll-back" or "wait"
    reason: str = ""
    checks: dict[str, bool] = field(default_factory=dict)


def judge(p: Pending, e: Evidence, w: Watch, settle_s: float) -> Verdict:
    """One look: remembers what it must in ``w`` and says what to do now."""
    if w.restarts is None:
        w.restarts = e.unit_restarts
    beat = e.heartbeat
    if beat is not None and beat.version == p.version:
        if w.pid is None:
            w.pid = beat.pid
        if w.first_beat is None:
            w.first_beat = (e.now, beat.beats)
    checks = {c.key: c.passed(p, e, w, settle_s) for c in CHECKS}
    if e.unit_failed:
        return Verdict("roll-back", "the UI unit failed", checks)
    if e.unit_restarts != w.restarts or (beat and w.pid and beat.version == p.version
                                          and beat.pid != w.pid):
        return Verdict("roll-back", "the UI restarted on the new release", checks)
    if all(checks.values()):
        return Verdict("commit", "", checks)
    if e.now > p.switched_at + p.deadline_s:
        failed = [k for k, ok in checks.items() if not ok]
        detail = ", ".join(failed)
        if "devices" in failed and beat:
            detail += f" ({', '.join(broken_devices(p, e))} broke on the new release)"
        return Verdict("roll-back", f"deadline passed: {detail} did not hold", checks)
    return Verdict("wait", "", checks)


def run(p: Pending, observe: Callable[[], Evidence], settle_s: float = 30.0,
        poll_s: float = 2.0, sleep: Callable[[float], None] = time.sleep) -> Verdict:
    """Look until the verdict is not "wait"."""
    watch = Watch()
    while True:
        verdict = judge(p, observe(), watch, settle_s)
        if verdict.decision != "wait":
            return verdict
        sleep(poll_s)
