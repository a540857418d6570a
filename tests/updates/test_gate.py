"""The commit rule, look by look: what commits, what rolls back and what it says."""

from __future__ import annotations

from dataclasses import replace

from updates.gate import Evidence, Heartbeat, Watch, judge, run
from updates.records import Pending

SETTLE = 30.0
PENDING = Pending(version="1.3.0", previous="1.2.0", switched_at=1000.0, deadline_s=600.0,
                  baseline={"idcard": True, "printer": True, "queue": False})
HEALTHY = Evidence(now=1000.0, unit_active=True, unit_failed=False, unit_restarts=0,
                   heartbeat=Heartbeat("1.3.0", pid=42, beats=1,
                                       devices={"idcard": True, "printer": True}),
                   reported_version="1.3.0")


def _after(seconds: float, beats: int, **changes) -> Evidence:
    beat = replace(HEALTHY.heartbeat, beats=beats, **changes.pop("beat", {}))
    return replace(HEALTHY, now=HEALTHY.now + seconds, heartbeat=beat, **changes)


def test_a_healthy_release_commits_only_after_the_settle_period():
    watch = Watch()
    assert judge(PENDING, HEALTHY, watch, SETTLE).decision == "wait"
    assert judge(PENDING, _after(10, 2), watch, SETTLE).decision == "wait"
    assert judge(PENDING, _after(31, 4), watch, SETTLE).decision == "commit"


def test_a_heartbeat_that_does_not_advance_is_not_enough():
    watch = Watch()
    judge(PENDING, HEALTHY, watch, SETTLE)
    assert judge(PENDING, _after(60, 1), watch, SETTLE).checks["heartbeat"] is False


def test_the_old_release_s_heartbeat_does_not_count():
    watch = Watch()
    old = _after(0, 5, beat={"version": "1.2.0"})
    judge(PENDING, old, watch, SETTLE)
    verdict = judge(PENDING, _after(700, 9, beat={"version": "1.2.0"}), watch, SETTLE)
    assert verdict.decision == "roll-back"
    assert "heartbeat" in verdict.reason


def test_a_ui_restart_rolls_back_at_once():
    watch = Watch()
    judge(PENDING, HEALTHY, watch, SETTLE)
    verdict = judge(PENDING, _after(5, 1, unit_restarts=1), watch, SETTLE)
    assert (verdict.decision, verdict.reason) == ("roll-back",
                                                  "the UI restarted on the new release")


def test_a_new_ui_process_is_a_restart_even_when_systemd_counts_none():
    watch = Watch()
    judge(PENDING, HEALTHY, watch, SETTLE)
    assert judge(PENDING, _after(5, 1, beat={"pid": 43}), watch, SETTLE).decision == "roll-back"


def test_a_failed_unit_rolls_back():
    verdict = judge(PENDING, replace(HEALTHY, unit_active=False, unit_failed=True), Watch(),
                    SETTLE)
    assert verdict.reason == "the UI unit failed"


def test_a_device_that_breaks_only_on_the_new_release_rolls_back_and_is_named():
    watch = Watch()
    broken = {"beat": {"devices": {"idcard": True, "printer": False}}}
    judge(PENDING, _after(0, 1, **broken), watch, SETTLE)
    assert judge(PENDING, _after(60, 3, **broken), watch, SETTLE).decision == "wait"
    verdict = judge(PENDING, _after(601, 9, **broken), watch, SETTLE)
    assert verdict.decision == "roll-back"
    assert "printer broke on the new release" in verdict.reason


def test_a_device_already_broken_before_the_switch_does_not_roll_back():
    # queue failed its self-test on the old release too (baseline False).
    watch = Watch()
    judge(PENDING, HEALTHY, watch, SETTLE)
    assert judge(PENDING, _after(31, 3), watch, SETTLE).decision == "commit"


def test_no_report_to_the_fleet_means_no_commit():
    watch = Watch()
    unreported = {"reported_version": "1.2.0"}
    judge(PENDING, _after(0, 1, **unreported), watch, SETTLE)
    verdict = judge(PENDING, _after(601, 20, **unreported), watch, SETTLE)
    assert verdict.decision == "roll-back" and "reported" in verdict.reason


def test_run_looks_until_it_has_a_verdict():
    looks = iter([HEALTHY, _after(10, 2), _after(40, 5)])
    slept: list[float] = []
    verdict = run(PENDING, lambda: next(looks), SETTLE, poll_s=2, sleep=slept.append)
    assert verdict.decision == "commit" and slept == [2, 2]
