"""Attacks with a login that should have ended, over real HTTP to a real console: the
old cookie after a logout, a new password or a demotion (the CLI an admin uses); an
idle or too old session; a forged cookie in the old name|role|expiry|MAC shape; a
live stream left open after its session ended."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time

import pytest
from sqlalchemy import insert, select

from fleet.models import Alarm, StaffSession
from tests.helpers.console_attack import console_target
from tests.helpers.console_proc import REPO

IDLE_S, MAX_S = 4.0, 12.0


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    users = {name: ("pw-" + name, "operator") for name in
             ("leaver", "demoted", "renamed", "idler", "stayer", "streamer")}
    with console_target(tmp_path_factory.mktemp("console-sessions"), users,
                        extra=("--session-idle", str(IDLE_S),
                               "--session-max", str(MAX_S))) as t:
        yield t


def _alarm(target) -> int:
    with target.engine.begin() as conn:
        return conn.execute(insert(Alarm).values(
            terminal="T-1", site="S", key="printer", severity="red", raised_at=time.time(),
            updated=time.time())).inserted_primary_key[0]


def _logged_in(target, name: str, password: str | None = None):
    client = target.client()
    r = target.login(name, password or "pw-" + name, client=client)
    assert r.status_code == 303 and r.headers["location"] == "/", r.text
    return client


def _in(client) -> bool:
    return client.get("/api/board").status_code == 200


def _users_cli(target, *args: str, password: str = "") -> None:
    subprocess.run([sys.executable, "-m", "fleet", "--db", target.db, "users", *args],
                   cwd=REPO, check=True, capture_output=True, timeout=60,
                   env={**os.environ, "PYTHONPATH": str(REPO), "FLEET_PASSWORD": password})


def test_console_logout_ends_every_session_of_that_user(target):
    laptop, desk = _logged_in(target, "leaver"), _logged_in(target, "leaver")
    stolen = dict(laptop.cookies)
    laptop.get("/logout")
    assert not _in(desk)  # the other browser is out too
    replay = target.client()
    replay.cookies.update(stolen)
    assert not _in(replay)
    assert replay.post(f"/alarms/{_alarm(target)}/ack").status_code == 303  # to /login
    with target.engine.connect() as conn:
        assert conn.execute(select(StaffSession).where(StaffSession.user == "leaver")).first() \
            is None


def test_console_demotion_ends_operator_rights_at_once(target):
    old = _logged_in(target, "demoted")
    alarm = _alarm(target)
    _users_cli(target, "role", "demoted", "--role", "viewer")
    assert not _in(old)
    assert old.post(f"/alarms/{alarm}/ack").headers.get("location") == "/login"
    again = _logged_in(target, "demoted")
    assert _in(again) and again.post(f"/alarms/{alarm}/ack").status_code == 403
    with target.engine.connect() as conn:
        assert conn.execute(select(Alarm.acked_by).where(Alarm.id == alarm)).scalar() is None


def test_console_new_password_ends_sessions_and_the_old_password(target):
    old = _logged_in(target, "renamed")
    _users_cli(target, "passwd", "renamed", password="brand-new")
    assert not _in(old)
    assert target.login("renamed", "pw-renamed").headers["location"] != "/"
    assert _in(_logged_in(target, "renamed", "brand-new"))


def test_console_session_ends_when_idle_and_when_too_old(target):
    idle = _logged_in(target, "idler")
    time.sleep(IDLE_S + 1)
    assert not _in(idle)
    busy = _logged_in(target, "stayer")
    started = time.monotonic()
    while time.monotonic() - started < MAX_S - 2:  # used all along: idle never ends it
        assert _in(busy)
        time.sleep(1)
    time.sleep(3)
    assert not _in(busy)  # but it ends MAX_S after the login anyway


def test_console_refuses_a_forged_cookie_and_stores_only_hashes(target):
    forged = target.client()
    forged.cookies.set("fleet_session", "streamer|operator|9999999999|" + "0" * 64)
    assert not _in(forged)
    client = _logged_in(target, "streamer")
    token = client.cookies["fleet_session"]
    with target.engine.connect() as conn:
        stored = conn.execute(select(StaffSession.token_hash)
                              .where(StaffSession.user == "streamer")).scalars().all()
    assert hashlib.sha256(token.encode()).hexdigest() in stored and token not in stored
    assert len(token) >= 40  # 32 random bytes


def test_console_live_stream_ends_with_its_session(target):
    watcher = _logged_in(target, "streamer")
    other = _logged_in(target, "streamer")
    t0 = time.monotonic()
    with watcher.stream("GET", "/api/stream", timeout=30) as events:
        assert events.status_code == 200
        for line in events.iter_lines():
            if time.monotonic() - t0 > 1 and other.cookies.get("fleet_session"):
                other.get("/logout")  # ends every session of the user, this one's included
                other.cookies.clear()
            assert time.monotonic() - t0 < 20, "the stream outlived its session"
            del line
    assert time.monotonic() - t0 < 20
