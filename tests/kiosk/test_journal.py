"""The journal: durable, non-identifying, and an outbox for ratings."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

from kiosk.journal import Journal


def test_records_and_aggregates_per_service(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite")
    journal.record("s1", "ss.insurance_status", "ok", 0.4)
    journal.record("s1", "ss.certificate", "ok", 6.0)
    journal.record("s2", "ss.insurance_status", "failed", 5.0)
    journal.rate("s1", "ss.certificate", 5, [])
    journal.rate("s2", "ss.insurance_status", 2, ["slow"])
    stats = journal.stats()
    assert stats["ss.insurance_status"] == {
        "count": 2, "failed": 1, "mean_ms": 2700, "ratings": 1, "mean_score": 2.0}
    assert stats["ss.certificate"]["mean_score"] == 5.0


def test_one_rating_per_session(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite")
    journal.rate("s1", "ss.certificate", 5, [])
    journal.rate("s1", "ss.certificate", 1, [])
    assert [r.score for r in journal.pending_ratings()] == [5]


def test_ratings_wait_in_the_outbox_until_delivered(tmp_path):
    path = tmp_path / "journal.sqlite"
    journal = Journal(path)
    journal.rate("a", "ss.insurance_status", 4, ["queue"])
    journal.rate("b", "ss.certificate", 5, [])
    first, second = journal.pending_ratings()
    assert (first.score, first.reasons) == (4, ["queue"])
    journal.delivered(first.id)
    journal.close()
    again = Journal(path)  # after a restart the undelivered one is still waiting
    assert [r.id for r in again.pending_ratings()] == [second.id]


def test_a_recorded_transaction_survives_a_killed_process(tmp_path):
    path = tmp_path / "journal.sqlite"
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from kiosk.journal import Journal
        j = Journal(Path({str(path)!r}))
        j.record("s1", "ss.certificate", "ok", 5.5)
        os.kill(os.getpid(), signal.SIGKILL)  # no close, no clean exit
    """)
    subprocess.run([sys.executable, "-c", script], check=False, timeout=30)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT service, outcome FROM transactions").fetchall() == [
            ("ss.certificate", "ok")]


def test_the_journal_holds_nothing_personal(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite")
    columns = {
        row[1]
        for table in ("transactions", "ratings")
        for row in journal._run(f"PRAGMA table_info({table})").fetchall()
    }
    assert columns <= {"id", "session_ref", "service", "outcome", "duration_ms", "at",
                       "score", "reasons", "delivered_at"}
