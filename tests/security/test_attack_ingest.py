"""Attacks 1 (ingest), 5 (screenshots) and 6 at the console's ingest, from a real
terminal login: values outside the contract, a site of its choosing, someone else's
command result, a replay's answer, screenshots that are not what they claim."""

from __future__ import annotations

import time

from sqlalchemy import select

from fleet.models import Command, Screenshot, Terminal, Txn
from tests.helpers.png import png
from tests.security.conftest import Login, quarantined, txn, wait

SITE = "ingest-hall"


def _terminal(engine, tid):
    with engine.connect() as conn:
        return conn.execute(select(Terminal).where(Terminal.id == tid)).first()


def _birth(login: Login, tid: str) -> None:
    base = f"kiosk/v1/{SITE}/{tid}"
    login.send(f"{base}/state", {"state": "online", "bdseq": 1, "ts": time.time(), "hb": 300},
               retain=True)
    login.send(f"{base}/health", {"ts": time.time(), "light": "green"}, retain=True)


def test_a_light_outside_the_contract_is_never_stored(fleet):
    a = Login(fleet.broker, fleet.broker.add_terminal("T-MARKUP", SITE))
    _birth(a, "T-MARKUP")
    wait(lambda: (_terminal(fleet.engine, "T-MARKUP") or {}) and
         _terminal(fleet.engine, "T-MARKUP").light == "green", what="green")
    a.send(f"kiosk/v1/{SITE}/T-MARKUP/health",
           {"ts": time.time() + 1, "light": '<img src=x onerror="fetch(\'/t/X/cmd\')">'})
    wait(lambda: quarantined(fleet.engine, "T-MARKUP") == 1, what="quarantined")
    row = _terminal(fleet.engine, "T-MARKUP")
    assert row.light == "green" and "<img" not in row.health
    a.close()


def test_a_terminal_cannot_choose_its_site(fleet):
    a = Login(fleet.broker, fleet.broker.add_terminal("T-ROAMER", SITE))
    for site in ("other-hall", "<script>x", "a b"):  # (a "/" the ACL refuses itself)
        a.send(f"kiosk/v1/{site}/T-ROAMER/txn", txn(1, stream=f"x{len(site)}"))
        a.send(f"kiosk/v1/{site}/T-ROAMER/health", {"ts": time.time(), "light": "red"})
    a.send(f"kiosk/v1/{SITE}/T-ROAMER/txn", txn(1))
    wait(lambda: quarantined(fleet.engine, "T-ROAMER") == 6, what="6 quarantined")
    with fleet.engine.connect() as conn:
        sites = conn.execute(select(Txn.site).where(Txn.terminal == "T-ROAMER")).scalars().all()
    wait(lambda: _terminal(fleet.engine, "T-ROAMER"), what="the good record")
    assert sites == [SITE] and _terminal(fleet.engine, "T-ROAMER").site == SITE
    assert _terminal(fleet.engine, "T-ROAMER").light == "green"  # no red from elsewhere
    a.close()


def test_a_login_never_provisioned_as_a_terminal_stores_nothing(fleet):
    fleet.broker.add_user_only("T-GHOST", "ghost-pass")  # a broker login, no registry entry
    fleet.broker.reload(check=("T-GHOST", "ghost-pass"))
    ghost = Login(fleet.broker, {"username": "T-GHOST", "password": "ghost-pass"})
    _birth(ghost, "T-GHOST")
    wait(lambda: quarantined(fleet.engine, "T-GHOST") == 2, what="quarantined")
    assert _terminal(fleet.engine, "T-GHOST") is None
    ghost.close()


def _command(engine, cid):
    with engine.connect() as conn:
        return conn.execute(select(Command).where(Command.id == cid)).first()


def test_a_result_updates_only_its_own_unanswered_command(fleet):
    victim = Login(fleet.broker, fleet.broker.add_terminal("T-TARGET", SITE))
    liar = Login(fleet.broker, fleet.broker.add_terminal("T-LIAR", SITE))
    _birth(victim, "T-TARGET")
    wait(lambda: _terminal(fleet.engine, "T-TARGET"), what="the terminal")
    op = fleet.console.login("op", "op-pass")
    r = op.post("/t/T-TARGET/cmd", data={"cmd": "locate"})
    assert r.status_code == 200, r.text
    cid = r.json()["id"]
    # Terminal A answers the command sent to B.
    liar.send(f"kiosk/v1/{SITE}/T-LIAR/cmd/result",
              {"id": cid, "result": "error", "detail": "forged", "stream": "l", "seq": 1})
    # B answers (done), then a replay of the same command is refused by B.
    victim.send(f"kiosk/v1/{SITE}/T-TARGET/cmd/result",
                {"id": cid, "result": "done", "detail": "flashing", "stream": "v", "seq": 1})
    victim.send(f"kiosk/v1/{SITE}/T-TARGET/cmd/result",
                {"id": cid, "result": "refused", "detail": "nonce already used",
                 "stream": "v", "seq": 2})
    victim.send(f"kiosk/v1/{SITE}/T-TARGET/txn", txn(3, stream="v"))  # all three handled
    wait(lambda: _command(fleet.engine, cid).result != "sent", what="the answer")
    time.sleep(1)
    row = _command(fleet.engine, cid)
    assert (row.result, row.detail) == ("done", "flashing")
    op.close()
    victim.close()
    liar.close()


def test_screenshots_are_checked_before_they_are_stored_or_served(fleet):
    a = Login(fleet.broker, fleet.broker.add_terminal("T-CAMERA", SITE))
    _birth(a, "T-CAMERA")
    good = png(8, 6)
    a.send(f"kiosk/v1/{SITE}/T-CAMERA/screenshot", good)
    op = fleet.console.login("op", "op-pass")
    wait(lambda: op.get("/t/T-CAMERA/screenshot.png").status_code == 200, what="screenshot")
    huge_header = bytearray(png(8, 6))
    huge_header[16:24] = (100_000).to_bytes(4, "big") * 2  # claims 100000 x 100000 pixels
    for bad in (b"<svg onload=alert(1)>", bytes(huge_header),
                good + b"\0" * (3 * 1024 * 1024)):  # over the console's cap, under the broker's
        a.send(f"kiosk/v1/{SITE}/T-CAMERA/screenshot", bad)
    wait(lambda: quarantined(fleet.engine, "T-CAMERA") == 3, what="3 quarantined")
    assert op.get("/t/T-CAMERA/screenshot.png").content == good
    with fleet.engine.connect() as conn:
        assert conn.execute(select(Screenshot.png)
                            .where(Screenshot.terminal == "T-CAMERA")).scalar() == good
    op.close()
    a.close()
