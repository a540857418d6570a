"""Attacks on the console's login, over real HTTP to a real `python -m fleet`: password
guessing (one name from one address, many names from one address), telling real user
names from timing, the stored hash, and reading /api/ingest without a login."""

from __future__ import annotations

import base64
import hashlib
import statistics
import time

import pytest
from sqlalchemy import select, update

from fleet.models import User
from fleet.throttle import ADDR_LIMIT, USER_LIMIT
from tests.helpers.console_attack import console_target

LOCK_S = 10.0  # the console's --login-lockout here: short, so the test sees it end


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    users = {"op": ("right-pass", "operator"), "spray": ("spray-pass", "viewer"),
             "legacy": ("old-pass", "viewer"), "timing": ("t-pass", "viewer")}
    with console_target(tmp_path_factory.mktemp("console-login"), users,
                        extra=("--login-lockout", str(LOCK_S))) as t:
        yield t


def _ok(r) -> bool:
    return r.status_code == 303 and r.headers["location"] == "/"


def test_console_locks_a_guessed_name_but_not_its_owner(target):
    # The staff member logged in from this browser before: it holds the device cookie.
    desk = target.client("127.0.0.1")
    assert _ok(target.login("op", "right-pass", client=desk))
    # The attacker: 300 wrong passwords from another address, then the right one.
    attacker = target.client("127.0.0.66")
    t0 = time.monotonic()
    refused = [target.login("op", f"guess-{i}", client=attacker).status_code
               for i in range(300)]
    locks = 1 + int((time.monotonic() - t0) / LOCK_S)  # a slow machine sees a lock end
    assert refused.count(303) <= USER_LIMIT * locks  # a few were tried, the rest locked
    assert refused.count(429) >= 300 - USER_LIMIT * locks and set(refused) == {303, 429}
    assert not _ok(target.login("op", "right-pass", client=attacker))
    # A new browser elsewhere is held too, with the lockout said on the page...
    r = target.login("op", "right-pass", addr="127.0.0.77")
    assert r.status_code == 429 and 'id="locked"' in r.text
    # ...but the owner at their usual desk is not locked out by someone else's guesses.
    assert _ok(target.login("op", "right-pass", client=desk))
    # And the lockout ends (900 s by default; 10 s here).
    time.sleep(LOCK_S + 0.5)
    assert _ok(target.login("op", "right-pass", addr="127.0.0.77"))


def test_console_locks_an_address_that_sprays_many_names(target):
    sprayer = target.client("127.0.0.88")
    for i in range(ADDR_LIMIT):
        assert target.login(f"nobody-{i}", "123456", client=sprayer).status_code == 303
    assert target.login("spray", "spray-pass", client=sprayer).status_code == 429
    assert _ok(target.login("spray", "spray-pass", addr="127.0.0.89"))  # others are not held


def _login_time(target, name: str, addr: str) -> float:
    t0 = time.perf_counter()
    r = target.login(name, "wrong-password", addr=addr)
    assert r.status_code == 303 and "error" in r.headers["location"]
    return time.perf_counter() - t0


def test_console_does_not_tell_user_names_by_timing(target):
    # Alternate a real name and unknown ones, each from its own address (no lockout).
    known, unknown = [], []
    for i in range(USER_LIMIT - 1):
        known.append(_login_time(target, "timing", f"127.0.1.{i + 1}"))
        unknown.append(_login_time(target, f"ghost-{i}", f"127.0.2.{i + 1}"))
    k, u = statistics.median(known), statistics.median(unknown)
    assert u > 0.5 * k, f"unknown names answer in {u * 1000:.0f} ms, real ones in {k * 1000:.0f}"


def test_console_hashes_are_memory_hard_and_old_ones_upgrade(target):
    # A hash as consoles wrote them before: PBKDF2-SHA256, 120k iterations.
    salt = b"0123456789abcdef"
    digest = hashlib.pbkdf2_hmac("sha256", b"old-pass", salt, 120_000)
    old = f"pbkdf2$120000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    with target.engine.begin() as conn:
        conn.execute(update(User).where(User.name == "legacy").values(pw_hash=old))
    assert _ok(target.login("legacy", "old-pass", addr="127.0.3.1"))
    with target.engine.connect() as conn:
        stored = conn.execute(select(User.pw_hash).where(User.name == "legacy")).scalar()
    assert stored.startswith("$argon2id$") and "m=19456,t=2,p=1" in stored
    assert _ok(target.login("legacy", "old-pass", addr="127.0.3.2"))  # and still works
    with target.engine.connect() as conn:
        others = conn.execute(select(User.pw_hash).where(User.name == "op")).scalar()
    assert others.startswith("$argon2id$")


def test_console_ingest_counters_need_a_login(target):
    r = target.client("127.0.4.1").get("/api/ingest")
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert "received" not in r.text
    assert target.client("127.0.4.1").get("/healthz").json() == {"ok": True, "subscribed": True}
