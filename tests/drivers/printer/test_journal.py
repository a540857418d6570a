"""The print journal on real SQLite: transitions, keys, recovery after a crash, retention."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from drivers.printer.journal import INTERRUPTED, JobError, JobState, PrintJournal


@pytest.fixture
def journal(tmp_path: Path) -> PrintJournal:
    j = PrintJournal(tmp_path / "jobs.sqlite3")
    yield j
    j.close()


def test_job_lifecycle_and_payload_deleted_when_done(journal: PrintJournal) -> None:
    job = journal.add(b"\x1b@hello", kind="test-page")
    assert (job.state, job.attempts, job.size, job.kind) == (JobState.PENDING, 0, 7, "test-page")
    job, payload = journal.begin(job.id)
    assert job.state is JobState.SENDING and job.attempts == 1 and payload == b"\x1b@hello"
    job = journal.finish(job.id)
    assert job.state is JobState.DONE
    raw = sqlite3.connect(journal.path).execute("SELECT payload FROM jobs").fetchone()
    assert raw == (None,)  # the printed document (it names the citizen) is gone ...


def test_a_printed_document_leaves_no_trace_in_the_files(journal: PrintJournal) -> None:
    name = "欧阳明珏".encode("gb18030")
    job = journal.add(b"\x1b@" + name * 300 + b"\n", kind="certificate")  # overflow pages too
    journal.begin(job.id)
    journal.finish(job.id)
    files = list(Path(journal.path).parent.glob(Path(journal.path).name + "*"))
    assert files and all(name not in f.read_bytes() for f in files)  # ... from disk, WAL too


def test_a_done_job_is_never_sent_again(journal: PrintJournal) -> None:
    job = journal.add(b"x", key="SS-1")
    journal.begin(job.id)
    journal.finish(job.id)
    with pytest.raises(JobError, match="already printed"):
        journal.begin(job.id)
    again = journal.add(b"x", key="SS-1")  # the same document submitted again
    assert again.id == job.id and again.state is JobState.DONE
    assert len(journal.jobs()) == 1


def test_failed_job_can_be_sent_again_and_counts_attempts(journal: PrintJournal) -> None:
    job = journal.add(b"x")
    journal.begin(job.id)
    job = journal.fail(job.id, "paper out after 10 of 20 bytes")
    assert job.state is JobState.FAILED and job.detail.startswith("paper out")
    with pytest.raises(JobError, match="failed, not sending"):
        journal.finish(job.id)
    job, _ = journal.begin(job.id)
    assert job.attempts == 2 and job.detail == ""
    with pytest.raises(JobError, match="being sent"):
        journal.begin(job.id)


def test_written_before_sending_and_recovered_after_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    first = PrintJournal(path)
    job = first.add(b"certificate", key="SS-2", kind="certificate")
    first.begin(job.id)
    pending = first.add(b"never sent")
    # The process dies here: no finish, no fail, no close.
    second = PrintJournal(path)
    unfinished = second.recover()
    assert [(j.id, j.state) for j in unfinished] == [(job.id, JobState.FAILED),
                                                     (pending.id, JobState.PENDING)]
    assert unfinished[0].detail == INTERRUPTED
    job, payload = second.begin(job.id)  # and it can be printed again
    assert payload == b"certificate" and job.attempts == 2
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)
    first.close()
    second.close()


def test_failed_jobs_lose_their_data_after_the_retention(tmp_path: Path) -> None:
    journal = PrintJournal(tmp_path / "j.sqlite3", keep_failed_s=0.0)
    job = journal.add(b"x")
    journal.begin(job.id)
    journal.fail(job.id, "no answer")
    deadline = time.monotonic() + 5
    while time.time() <= journal.get(job.id).updated and time.monotonic() < deadline:
        time.sleep(0.001)  # let the clock tick past the failure (sub-millisecond)
    journal.recover()
    with pytest.raises(JobError, match="too old"):
        journal.begin(job.id)
    assert journal.get(job.id).state is JobState.FAILED
    journal.close()


def test_two_processes_cannot_send_one_job_twice(tmp_path: Path) -> None:
    a, b = PrintJournal(tmp_path / "j.sqlite3"), PrintJournal(tmp_path / "j.sqlite3")
    job = a.add(b"x")
    a.begin(job.id)
    with pytest.raises(JobError, match="being sent"):
        b.begin(job.id)
    a.close()
    b.close()


def test_unknown_job(journal: PrintJournal) -> None:
    with pytest.raises(JobError, match="no job 42"):
        journal.begin(42)


def test_job_summary_names_no_document(journal: PrintJournal) -> None:
    summary = journal.add(b"x", key="SS-20261122-7F3KQ9", kind="certificate").as_dict()
    assert summary["kind"] == "certificate" and "SS-2026" not in str(summary)
