from agent.unit import UnitState, parse_show


def state(active, sub, result="success", restarts=0):
    return UnitState(active, sub, result, restarts)


def test_health_from_systemd_states():
    assert state("active", "running").health == "running"
    assert state("activating", "start").health == "starting"
    assert state("activating", "auto-restart", "watchdog", 1).health == "restarting"
    assert state("activating", "start", "success", 2).health == "restarting"
    assert state("failed", "failed", "exit-code", 3).health == "failed"
    assert state("inactive", "dead").health == "dead"


def test_parse_show():
    text = ("ActiveState=failed\nSubState=failed\nResult=start-limit-hit\nNRestarts=3\n"
            "ExecMainStatus=2\n")
    s = parse_show(text)
    assert s == UnitState("failed", "failed", "start-limit-hit", 3)
    assert s.report()["health"] == "failed"
    assert parse_show("").active == "unknown"
