"""Attacks 3 and 5 at the broker: client-id takeover, the console's session, sizes."""

from __future__ import annotations

import time

from sqlalchemy import select

from fleet.models import Screenshot
from tests.security.conftest import Login, txn, txns, wait

SITE = "broker-hall"


def test_a_terminal_cannot_kick_another_off_with_its_client_id(fleet):
    victim = Login(fleet.broker, fleet.broker.add_terminal("T-VICTIM", SITE))
    creds = fleet.broker.add_terminal("T-THIEF", SITE)
    for _ in range(3):
        for client_id in ("T-VICTIM", "kiosk-T-VICTIM"):
            thief = Login(fleet.broker, creds, client_id=client_id)
            time.sleep(0.3)
            thief.close()
    time.sleep(1)
    assert victim.drops == 0 and victim.connects == 1 and victim.up.is_set()
    victim.close()


def test_no_terminal_can_wipe_the_consoles_persistent_session(fleet):
    """A terminal logs in with the console's client id (as it is on the wire and as it
    is configured), clean start, over and over while another terminal reports: every
    record is stored, the console's subscription stands."""
    honest = Login(fleet.broker, fleet.broker.add_terminal("T-STEADY", SITE))
    creds = fleet.broker.add_terminal("T-USURPER", SITE)
    ids = [fleet.console.client_id, f"console.{fleet.console.client_id}"]
    for seq in range(1, 201):
        honest.send(f"kiosk/v1/{SITE}/T-STEADY/txn", txn(seq))
        if seq % 20 == 0:
            usurper = Login(fleet.broker, creds, client_id=ids[seq // 20 % 2])
            time.sleep(0.2)
            usurper.close()
    wait(lambda: txns(fleet.engine, "T-STEADY") == 200, what="200 records")
    time.sleep(0.5)
    assert txns(fleet.engine, "T-STEADY") == 200
    honest.close()


def test_a_terminal_login_is_refused_on_the_consoles_listener(fleet):
    creds = fleet.broker.add_terminal("T-SNEAK", SITE)
    sneak = Login(fleet.broker, creds, client_id=fleet.console.client_id,
                  port=fleet.broker.console_port, connect=False)
    sneak.start(wait=False)
    wait(lambda: sneak.refused, timeout=10, what="a refusal")
    assert sneak.connects == 0
    sneak.close()
    # ... and the console's own login does not work on the terminals' listener side
    # either as "console": it is no terminal login there.
    wrong = Login(fleet.broker, {"username": "console",
                                 "password": fleet.broker.console_password},
                  port=fleet.broker.port, connect=False)
    wrong.start(wait=False)
    wait(lambda: wrong.refused, timeout=10, what="a refusal")
    wrong.close()


def test_an_oversized_message_is_dropped_at_the_broker(fleet):
    """200 MiB were accepted once; now a packet over the shipped limit disconnects its
    sender, is never forwarded, and the console holds nothing of it."""
    big = Login(fleet.broker, fleet.broker.add_terminal("T-HUGE", SITE))
    honest = Login(fleet.broker, fleet.broker.add_terminal("T-SMALL", SITE))
    payload = b"\x89PNG\r\n\x1a\n" + b"\0" * (8 * 1024 * 1024)
    big.client.publish(f"kiosk/v1/{SITE}/T-HUGE/screenshot", payload, qos=1)
    wait(lambda: big.drops >= 1, timeout=20, what="the broker disconnecting the sender")
    honest.send(f"kiosk/v1/{SITE}/T-SMALL/txn", txn(1))
    wait(lambda: txns(fleet.engine, "T-SMALL") == 1, what="the neighbour's record")
    with fleet.engine.connect() as conn:
        assert conn.execute(select(Screenshot).where(Screenshot.terminal == "T-HUGE")).first() \
            is None
    big.close()
    honest.close()
