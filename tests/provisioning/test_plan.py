"""The plan runner's rules, with steps made of plain functions."""

from __future__ import annotations

import io

from provisioning.plan import Step, check, run


class Flag:
    def __init__(self, name: str, fail: bool = False) -> None:
        self.name, self.fail, self.done = name, fail, False

    def step(self) -> Step:
        return Step(self.name, f"{self.name}.conf",
                    lambda: [] if self.done else [f"{self.name} not done"], self.apply)

    def apply(self) -> None:
        if self.fail:
            raise OSError("disk full")
        self.done = True


def test_a_failure_stops_the_plan_and_says_what_was_done_and_what_to_do() -> None:
    a, b, c = Flag("a"), Flag("b", fail=True), Flag("c")
    out = io.StringIO()
    assert run([a.step(), b.step(), c.step()], out) == 1
    text = out.getvalue()
    assert "[2/3] b: FAILED: disk full" in text
    assert "changed in this run: a" in text and "not done: b, c" in text
    assert not c.done
    b.fail = False
    out = io.StringIO()
    assert run([a.step(), b.step(), c.step()], out) == 0
    assert "[1/3] a: already right, unchanged" in out.getvalue()
    assert "done: 2 step(s) changed, 1 already right" in out.getvalue()


def test_an_apply_that_leaves_its_check_unmet_is_a_failure() -> None:
    stuck = Step("stuck", "x", lambda: ["still wrong"], lambda: None)
    out = io.StringIO()
    assert run([stuck], out) == 1
    assert "still differs after applying: still wrong" in out.getvalue()


def test_dry_run_applies_nothing_and_check_exits_non_zero_on_a_difference() -> None:
    a = Flag("a")
    out = io.StringIO()
    assert run([a.step()], out, dry_run=True) == 0 and not a.done
    assert "would change (a.conf): a not done" in out.getvalue()
    assert check([a.step()], io.StringIO()) == 1
    a.done = True
    assert check([a.step()], io.StringIO()) == 0


def test_a_check_that_cannot_run_is_reported_not_a_traceback() -> None:
    def broken() -> list[str]:
        raise FileNotFoundError("units/kiosk-ui.service")

    step = Step("units", "x", broken, lambda: None)
    out = io.StringIO()
    assert run([step], out) == 1
    assert "[1/1] units: FAILED: units/kiosk-ui.service" in out.getvalue()
    out = io.StringIO()
    assert check([step], out) == 1
    assert "DIFFERS units: cannot check: units/kiosk-ui.service" in out.getvalue()
