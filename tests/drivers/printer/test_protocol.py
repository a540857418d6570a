"""ESC/POS protocol: status bytes, parser golden vectors, raster round trip, fuzzing."""

from __future__ import annotations

import random

import pytest
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from drivers.printer import protocol as p
from drivers.printer.pages import raster_to_image, render_pages

# --- status replies (devices.md section 3) ---------------------------------------------------


@pytest.mark.parametrize(
    ("n", "state", "expected"),
    [
        (1, {}, 0x12),
        (1, {"offline": True}, 0x1A),
        (2, {}, 0x12),
        (2, {"cover_open": True}, 0x16),
        (2, {"paper": "out"}, 0x32),
        (3, {}, 0x12),
        (3, {"cutter_error": True}, 0x1A),
        (4, {}, 0x12),
        (4, {"paper": "near_end"}, 0x1E),
        (4, {"paper": "out"}, 0x72),
    ],
)
def test_status_reply_golden(n: int, state: dict, expected: int) -> None:
    assert p.status_reply(n, **state) == expected


@given(
    n=st.integers(1, 4),
    paper=st.sampled_from(p.PAPER_STATES),
    cover_open=st.booleans(),
    cutter_error=st.booleans(),
    offline=st.booleans(),
)
def test_every_status_reply_has_fixed_bits(n, paper, cover_open, cutter_error, offline) -> None:
    r = p.status_reply(
        n, paper=paper, cover_open=cover_open, cutter_error=cutter_error, offline=offline
    )
    assert (r & 0x93) == 0x12
    if n == 4:
        assert p.paper_from_reply(r) == paper


def test_status_reply_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        p.status_reply(5)
    with pytest.raises(ValueError):
        p.status_reply(4, paper="low")
    with pytest.raises(ValueError):
        p.paper_from_reply(0x00)


# --- parser golden vectors ---------------------------------------------------------------

VALID = [
    (b"\x1b@", [p.Init()]),
    (b"\x1ba\x01", [p.Align(1)]),
    (b"\x1ba1", [p.Align(49)]),
    (b"\x1bE\x01\x1bE\x00", [p.Bold(True), p.Bold(False)]),
    (b"\x1b!\x38", [p.PrintMode(0x38)]),
    (b"\x1d!\x11", [p.CharSize(0x11)]),
    (b"\n\r", [p.LineFeed(), p.CarriageReturn()]),
    ("参保证明 OK\n".encode("gb18030"), [p.Text("参保证明 OK".encode("gb18030")), p.LineFeed()]),
    (b"\x1dv0\x00\x02\x00\x01\x00\xf0\x0f", [p.Raster(0, 2, 1, b"\xf0\x0f")]),
    (b"\x1dV\x00", [p.Cut(0)]),
    (b"\x1dV\x01", [p.Cut(1)]),
    (b"\x1dV0", [p.Cut(48)]),
    (b"\x1dV1", [p.Cut(49)]),
    (b"\x1dVA\x10", [p.Cut(65, 16)]),
    (b"\x1dVB\x00", [p.Cut(66, 0)]),
    (b"\x10\x04\x01\x10\x04\x04", [p.StatusRequest(1), p.StatusRequest(4)]),
    # QR: store "hi" (cn 49, fn 80, m 48), then print (fn 81)
    (b"\x1d(k\x05\x001P0hi", [p.Code2D(49, 80, b"0hi")]),
    (b"\x1d(k\x03\x001Q0", [p.Code2D(49, 81, b"0")]),
    (b"\x1bd\x06", [p.Feed(6)]),
    (b"\x1bJ\x1c", [p.FeedDots(28)]),
    (b"\x1b3\x18\x1b2", [p.LineSpacing(24), p.LineSpacing(None)]),
    (b"\x1bt\x00\x1b-\x01", [p.Other(b"\x1bt\x00"), p.Other(b"\x1b-\x01")]),
    (b"\x1d(L\x02\x0001", [p.Other(b"\x1d(L\x02\x0001")]),
    (b"\x1dr\x01", [p.StatusTransmit(1)]),  # GS r 1: the end-of-job marker
    (b"\x10\x05\x02", [p.Recover(2)]),  # DLE ENQ 2: clear the buffers
    (b"\x1dL\x18\x00\x1dW\x10\x02", [p.LeftMargin(24), p.PrintWidth(528)]),
    (b"\x1c&\x1c.", [p.Other(b"\x1c&"), p.Other(b"\x1c.")]),  # FS & / FS .: Chinese mode
]
JUNK = [
    # unknown bytes cost exactly one byte each, then parsing resumes
    (b"\x07\x1b@", [p.Unknown(b"\x07"), p.Init()]),
    (b"\x1b\x99\x1b@", [p.Unknown(b"\x1b"), p.Text(b"\x99"), p.Init()]),
    (b"\x1dV\x07\x1b@", [p.Unknown(b"\x1d"), p.Text(b"V"), p.Unknown(b"\x07"), p.Init()]),
    (b"\x10\x04\x09\n", [p.Unknown(b"\x10"), p.Unknown(b"\x04"), p.Unknown(b"\t"), p.LineFeed()]),
    # an absurd raster header is not allowed to swallow the rest of the stream
    (b"\x1dv0\x00\xff\xff\xff\xff\x1b@", [p.Unknown(b"\x1d"), p.Text(b"v0"), p.Unknown(b"\x00"),
                                          p.Text(b"\xff\xff\xff\xff"), p.Init()]),
]
GOLDEN = VALID + JUNK


@pytest.mark.parametrize(("data", "ops"), GOLDEN, ids=[repr(d[:12]) for d, _ in GOLDEN])
def test_parser_golden(data: bytes, ops: list) -> None:
    parser = p.EscPosParser()
    assert parser.feed(data) + parser.flush() == ops


@pytest.mark.parametrize(("data", "ops"), GOLDEN, ids=[repr(d[:12]) for d, _ in GOLDEN])
def test_parser_golden_byte_by_byte(data: bytes, ops: list) -> None:
    parser = p.EscPosParser()
    got = [op for i in range(len(data)) for op in parser.feed(data[i : i + 1])]
    assert got + parser.flush() == ops


def test_text_waits_for_a_control_byte_and_flush_releases_it() -> None:
    parser = p.EscPosParser()
    name = "欧阳".encode("gb18030")
    assert parser.feed(name[:3]) == []  # half a character must not be decoded yet
    assert parser.feed(name[3:]) == []
    assert parser.flush() == [p.Text(name)]
    assert p.Text(name).text == "欧阳"


def test_incomplete_command_waits_then_completes() -> None:
    parser = p.EscPosParser()
    assert parser.feed(b"\x1dv0\x00\x01\x00\x02\x00\xff") == []
    assert parser.feed(b"\x00\x1dV") == [p.Raster(0, 1, 2, b"\xff\x00")]
    assert parser.feed(b"A") == []
    assert parser.feed(b"\x03") == [p.Cut(65, 3)]


def test_offsets_point_past_each_op() -> None:
    parser = p.EscPosParser()
    assert parser.feed_with_offsets(b"\x1b@ab") == [(p.Init(), 2)]
    assert parser.feed_with_offsets(b"\n\x1dV\x00") == [
        (p.Text(b"ab"), 4), (p.LineFeed(), 5), (p.Cut(0), 8)
    ]


# --- raster -------------------------------------------------------------------------------


def _raster_bytes(img: Image.Image) -> bytes:
    """GS v 0 built by hand: rows padded to whole bytes, 1 bit = black, MSB first."""
    w_bytes = (img.width + 7) // 8
    out = bytearray(b"\x1dv0\x00")
    out += bytes([w_bytes & 0xFF, w_bytes >> 8, img.height & 0xFF, img.height >> 8])
    px = img.load()
    for y in range(img.height):
        for xb in range(w_bytes):
            byte = 0
            for bit in range(8):
                x = xb * 8 + bit
                if x < img.width and px[x, y] == 0:
                    byte |= 0x80 >> bit
            out.append(byte)
    return bytes(out)


def test_raster_round_trip() -> None:
    rng = random.Random(7)
    img = Image.new("1", (40, 23), 255)
    for _ in range(300):
        img.putpixel((rng.randrange(40), rng.randrange(23)), 0)
    ops = p.EscPosParser().feed(_raster_bytes(img) + b"\x1dV\x00")
    assert isinstance(ops[0], p.Raster)
    back = raster_to_image(ops[0])
    assert back.mode == "1" and back.size == (40, 23)
    assert back.tobytes() == img.tobytes()
    page = render_pages(ops, width=40)[0]
    assert page.tobytes() == img.tobytes()


def test_render_pages_splits_at_cuts_and_draws_text() -> None:
    stream = b"\x1b@\x1ba\x01" + "参保证明".encode("gb18030") + b"\n\x1bd\x02\x1dV\x00"
    stream += b"\x1dv0\x00\x01\x00\x01\x00\xff\x1dVA\x00"
    pages = render_pages(p.EscPosParser().feed(stream))
    assert len(pages) == 2
    assert all(pg.mode == "1" and pg.width == 576 for pg in pages)
    assert pages[0].height == 30 + 2 * 30  # one text line + two fed lines
    assert pages[0].getextrema() == (0, 255)  # the text left ink on the paper
    # ESC a 1 outlives the cut, as on a printer: the 8-dot block is centred
    assert pages[1].crop((284, 0, 292, 1)).getextrema() == (0, 0)
    assert pages[1].crop((0, 0, 284, 1)).getextrema() == (255, 255)


# --- fuzzing ------------------------------------------------------------------------------

VALID_PIECES = [data for data, _ in VALID]


def _parse_in_chunks(data: bytes, cuts: list[int]) -> list:
    parser = p.EscPosParser()
    ops, start = [], 0
    for cut in sorted(c % (len(data) + 1) for c in cuts):
        ops += parser.feed(data[start:cut])
        start = cut
    return ops + parser.feed(data[start:]) + parser.flush()


def _parse_whole(data: bytes) -> list:
    parser = p.EscPosParser()
    return parser.feed(data) + parser.flush()


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=st.binary(max_size=400), cuts=st.lists(st.integers(0, 10_000), max_size=8))
def test_random_bytes_never_raise_and_chunking_does_not_matter(data: bytes, cuts: list) -> None:
    assert _parse_in_chunks(data, cuts) == _parse_whole(data)


@FUZZ
@given(
    pieces=st.lists(st.sampled_from(VALID_PIECES), min_size=1, max_size=12),
    edits=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 10_000), st.integers(0, 255)), max_size=6
    ),
    cuts=st.lists(st.integers(0, 10_000), max_size=8),
)
def test_mutated_streams_never_raise_and_chunking_does_not_matter(pieces, edits, cuts) -> None:
    data = bytearray(b"".join(pieces))
    for kind, where, value in edits:  # flip, insert or delete one byte
        i = where % (len(data) + 1)
        if kind == 0 and i < len(data):
            data[i] = value
        elif kind == 1:
            data.insert(i, value)
        elif i < len(data):
            del data[i]
    assert _parse_in_chunks(bytes(data), cuts) == _parse_whole(bytes(data))
    render_pages(_parse_whole(bytes(data)))  # whatever arrives, the page renderer copes


@FUZZ
@given(pieces=st.lists(st.sampled_from(VALID_PIECES), min_size=1, max_size=12))
def test_valid_streams_parse_to_their_ops(pieces: list) -> None:
    golden = dict(VALID)
    expected = [op for piece in pieces for op in golden[piece]]
    assert _parse_whole(b"".join(pieces)) == expected


def test_native_qr_prints_a_scannable_symbol() -> None:
    url = b"https://example.gov.cn/v?c=SS-1"
    size = len(url) + 3
    stream = b"\x1d(k\x03\x001C\x06"  # module size 6
    stream += b"\x1d(k" + bytes([size & 0xFF, size >> 8]) + b"1P0" + url  # store
    stream += b"\x1d(k\x03\x001Q0\x1bd\x02\x1dV\x00"  # print, feed, cut
    page = render_pages(p.EscPosParser().feed(stream))[0]
    assert [r.text for r in zxingcpp.read_barcodes(page.convert("L"))] == [url.decode()]
