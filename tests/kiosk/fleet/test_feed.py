"""The journal is the single record: the fleet's statistics are its rows (kiosk/fleet/feed.py).

Real SQLite files on disk; the kill -9 and broker restart run in test_reporter.py."""

from __future__ import annotations

from kiosk.fleet.feed import CURSOR, JournalFeed
from kiosk.fleet.store import TerminalStore
from kiosk.journal import Journal


def journal_with_a_day(path) -> Journal:
    clock = iter(range(1000, 2000)).__next__
    journal = Journal(path, clock=clock)
    journal.record("a1b2c3d4e5f60718", "ss.insurance_status", "ok", 0.8)
    journal.record("a1b2c3d4e5f60718", "ss.certificate", "ok", 2.25)
    journal.rate("a1b2c3d4e5f60718", "ss.certificate", 5, ["fast"])
    journal.record("9f8e7d6c5b4a3921", "hf.account", "unavailable", 10.0)
    journal.rate("9f8e7d6c5b4a3921", "hf.account", 2, ["broken"])
    return journal


def test_every_journal_row_becomes_one_txn_in_order_with_nothing_identifying(tmp_path):
    journal = journal_with_a_day(tmp_path / "journal.sqlite")
    store = TerminalStore(tmp_path / "t.sqlite")
    feed = JournalFeed(journal, store)
    assert feed.forward() == 5
    assert feed.forward() == 0  # caught up: nothing twice
    bodies = [(leaf, body) for _seq, leaf, body in store.pending()]
    assert {leaf for leaf, _b in bodies} == {"txn"}
    assert [b for _l, b in bodies] == [
        {"ts": 1000, "kind": "use", "service": "ss.insurance_status", "outcome": "ok",
         "duration_s": 0.8, "stream": store.stream},
        {"ts": 1001, "kind": "use", "service": "ss.certificate", "outcome": "ok",
         "duration_s": 2.2, "stream": store.stream},  # 2250 ms, rounded half to even
        {"ts": 1002, "kind": "rating", "service": "ss.certificate", "outcome": "rated",
         "rating": 5, "stream": store.stream},
        {"ts": 1003, "kind": "use", "service": "hf.account", "outcome": "unavailable",
         "duration_s": 10.0, "stream": store.stream},
        {"ts": 1004, "kind": "rating", "service": "hf.account", "outcome": "rated",
         "rating": 2, "stream": store.stream},
    ]
    text = repr(bodies)
    assert "a1b2c3d4" not in text and "9f8e7d6c" not in text  # no session reference
    assert "fast" not in text and "broken" not in text  # nor the rating's reasons
    assert store.get(CURSOR) == {"use": 3, "rating": 2, "visit": 0}


def test_a_whole_visit_is_one_txn_and_an_old_cursor_picks_visits_up(tmp_path):
    journal = journal_with_a_day(tmp_path / "journal.sqlite")
    store = TerminalStore(tmp_path / "t.sqlite")
    store.put(CURSOR, {"use": 3, "rating": 2})  # saved by a kiosk before visits existed
    journal.visit("a1b2c3d4e5f60718", "ss.certificate", "rated", 41.04, printed=True)
    journal.visit("9f8e7d6c5b4a3921", "none", "timeout", 60.0, printed=False)
    journal.visit("9f8e7d6c5b4a3921", "none", "timeout", 60.0, printed=False)  # once only
    assert JournalFeed(journal, store).forward() == 2
    bodies = [body for _seq, _leaf, body in store.pending()]
    assert bodies == [
        {"ts": 1005, "kind": "visit", "service": "ss.certificate", "outcome": "rated",
         "duration_s": 41.0, "printed": True, "stream": store.stream},
        {"ts": 1006, "kind": "visit", "service": "none", "outcome": "timeout",
         "duration_s": 60.0, "printed": False, "stream": store.stream},
    ]
    assert "a1b2c3d4" not in repr(bodies)
    assert store.get(CURSOR) == {"use": 3, "rating": 2, "visit": 2}


def test_the_feed_goes_on_where_it_stopped_after_a_restart(tmp_path):
    journal = journal_with_a_day(tmp_path / "journal.sqlite")
    store = TerminalStore(tmp_path / "t.sqlite")
    JournalFeed(journal, store).forward()
    store.close()
    journal.record("0011223344556677", "traffic.licence", "ok", 1.0)
    store = TerminalStore(tmp_path / "t.sqlite")
    assert JournalFeed(journal, store).forward() == 1
    assert [b["service"] for _s, _l, b in store.pending()][-1] == "traffic.licence"
    assert store.backlog() == 6  # nothing queued twice


def test_rows_wait_in_the_journal_while_the_outbox_is_full_and_none_is_dropped(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite")
    store = TerminalStore(tmp_path / "t.sqlite", max_rows=10)
    for n in range(25):
        journal.record(f"{n:016x}", "ss.insurance_status", "ok", n)
    feed = JournalFeed(journal, store, batch=3)
    while feed.forward():
        pass
    assert store.backlog() == 5  # half the outbox: room stays for alarms and answers
    delivered = []
    while store.backlog():  # the broker takes what is queued, the feed refills
        for seq, _leaf, body in store.pending():
            delivered.append(body["duration_s"])
            store.delivered(seq)
        while feed.forward():
            pass
    assert delivered == [float(n) for n in range(25)]
    assert store.get("dropped") is None


def test_a_clock_stepping_back_never_makes_the_feed_skip_a_row(tmp_path):
    times = iter([100.0, 50.0, 60.0, 55.0])  # NTP corrected the clock between rows
    journal = Journal(tmp_path / "journal.sqlite", clock=lambda: next(times))
    journal.record("r1", "a", "ok", 1)
    journal.rate("r1", "a", 4, [])
    journal.record("r2", "b", "ok", 1)
    journal.rate("r2", "b", 5, [])
    store = TerminalStore(tmp_path / "t.sqlite")
    feed = JournalFeed(journal, store, batch=1)
    while feed.forward():
        pass
    got = sorted((b["kind"], b["service"]) for _s, _l, b in store.pending())
    assert got == [("rating", "a"), ("rating", "b"), ("use", "a"), ("use", "b")]
