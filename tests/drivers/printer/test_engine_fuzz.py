"""Property tests: hostile streams never break the printer engine, and jobs split cleanly."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from drivers.printer import commands as c
from drivers.printer import protocol as p
from drivers.printer.driver import _chunks
from drivers.printer.engine import PrinterEngine
from drivers.printer.status import is_status_reply, is_sync_reply

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIECES = st.sampled_from([
    c.INIT, c.text_line("证明 ok"), c.raster(Image.new("1", (16, 3), 0)), c.qr(b"x"),
    c.STATUS_ALL, c.SYNC, c.CLEAR_AND_RECOVER, c.feed(1), c.CUT_FULL, b"\x1dv0\x00\xff\xff",
])
STREAMS = st.lists(st.one_of(PIECES, st.binary(max_size=12)), max_size=20).map(b"".join)
_OUT = Path(tempfile.mkdtemp(prefix="engine-fuzz-"))


@FUZZ
@given(STREAMS, st.sampled_from(["ok", "near_end", "out"]), st.integers(0, 400))
def test_engine_takes_any_stream_and_answers_only_status_bytes(data, paper, paper_end) -> None:
    engine = PrinterEngine(_OUT)
    engine.paper = paper
    engine.run_out_of_paper_after(paper_end)
    replies = engine.feed(data)
    engine.paper = "ok"
    replies += engine.resume() + engine.feed(c.CLEAR_AND_RECOVER)
    assert all(is_status_reply(r) or is_sync_reply(r) for r in replies)
    asked = sum(isinstance(op, p.StatusTransmit) for op in p.EscPosParser().feed(data))
    assert sum(map(is_sync_reply, replies)) <= asked  # GS r answers only what was asked


@FUZZ
@given(STREAMS, st.integers(1, 64))
def test_job_chunks_end_on_command_boundaries(data: bytes, size: int) -> None:
    chunks = list(_chunks(data, size))
    assert b"".join(chunks) == data
    boundaries = {end for _op, end in p.EscPosParser().feed_with_offsets(data)} | {len(data)}
    pos = 0
    for chunk in chunks:
        pos += len(chunk)
        assert pos in boundaries  # a status request between chunks never splits a command
