"""Attack 2: a terminal sends messages of the wrong shape; nobody else loses a record."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from fleet.models import Quarantined, Terminal
from tests.security.conftest import Login, quarantined, txn, txns, wait

SITE = "poison-hall"

# JSON of the wrong shape, one per leaf and kind of mistake (issue 10, finding 2).
BAD = [
    ("state", {"state": ["online"], "bdseq": 1, "ts": 1.0}),
    ("health", {"ts": "1763842000", "light": "green"}),
    ("health", {"ts": 1.0, "light": "green", "sys": {"cpu": "x"}}),
    ("health", {"ts": 1.0, "light": "<img src=x onerror=alert(1)>"}),
    ("txn", txn(1, stream="bad", ts=1e300)),
    ("txn", {**txn(1, stream="bad"), "seq": 10**20}),
    ("txn", txn(1, stream="bad", duration_s="x")),
    ("txn", b'{"stream":"bad","seq":1,"x":' + b"[" * 1000 + b"]" * 1000 + b"}"),
    ("txn", txn(1, stream="bad", service="ss\u0000x")),
    ("event", {"ts": 1.0, "on": True, "stream": "bad", "seq": 1}),
    ("cmd/result", {"id": "00ff", "result": ["done"], "stream": "bad", "seq": 1}),
    ("screenshot", b"GIF89a not a png at all"),
    ("txn", b"{not json"),
]


def test_sustained_poison_costs_no_other_terminal_a_record(fleet):
    """One bad message every 0.5 s from terminal A while terminal B sends 300 records:
    all 300 stored, every bad one quarantined, none of A's stored."""
    a = Login(fleet.broker, fleet.broker.add_terminal("T-POISON", SITE))
    b = Login(fleet.broker, fleet.broker.add_terminal("T-HONEST", SITE))
    stop = threading.Event()
    sent_bad = [0]

    def poison() -> None:
        while not stop.is_set():
            leaf, body = BAD[sent_bad[0] % len(BAD)]
            a.send(f"kiosk/v1/{SITE}/T-POISON/{leaf}", body)
            sent_bad[0] += 1
            stop.wait(0.5)

    thread = threading.Thread(target=poison)
    thread.start()
    try:
        for seq in range(1, 301):
            b.send(f"kiosk/v1/{SITE}/T-HONEST/txn", txn(seq))
            time.sleep(0.03)
    finally:
        stop.set()
        thread.join()
    deadline = time.monotonic() + 30  # no assert here: the figure is printed either way
    while time.monotonic() < deadline and not (
            txns(fleet.engine, "T-HONEST") >= 300
            and quarantined(fleet.engine, "T-POISON") >= sent_bad[0]):
        time.sleep(0.2)
    time.sleep(0.5)  # nothing more trickles in
    stored, kept = txns(fleet.engine, "T-HONEST"), quarantined(fleet.engine, "T-POISON")
    print(f"\nsustained poison: {sent_bad[0]} bad messages from A, "
          f"{stored} of B's 300 records stored, {kept} quarantined")
    assert stored == 300
    assert kept == sent_bad[0] and sent_bad[0] >= len(BAD)
    assert txns(fleet.engine, "T-POISON") == 0
    a.close()
    b.close()


def test_each_wrong_shape_is_quarantined_with_its_reason(fleet):
    a = Login(fleet.broker, fleet.broker.add_terminal("T-SHAPES", SITE))
    b = Login(fleet.broker, fleet.broker.add_terminal("T-NEIGHBOUR", SITE))
    b.send(f"kiosk/v1/{SITE}/T-NEIGHBOUR/health", {"ts": 2.0, "light": "green"})
    for seq, (leaf, body) in enumerate(BAD, 1):
        a.send(f"kiosk/v1/{SITE}/T-SHAPES/{leaf}", body)
        b.send(f"kiosk/v1/{SITE}/T-NEIGHBOUR/txn", txn(seq))
    wait(lambda: quarantined(fleet.engine, "T-SHAPES") == len(BAD)
         and txns(fleet.engine, "T-NEIGHBOUR") == len(BAD), what="all handled")
    with fleet.engine.connect() as conn:
        reasons = conn.execute(select(Quarantined.topic, Quarantined.reason)
                               .where(Quarantined.terminal == "T-SHAPES")).all()
        neighbour = conn.execute(select(Terminal).where(Terminal.id == "T-NEIGHBOUR")).first()
        shapes = conn.execute(select(Terminal).where(Terminal.id == "T-SHAPES")).first()
    assert all(r.reason for r in reasons), reasons
    assert any("light" in r.reason for r in reasons)
    assert neighbour.light == "green"
    assert shapes is None  # nothing it sent was good: it is not even on the board
    a.close()
    b.close()
