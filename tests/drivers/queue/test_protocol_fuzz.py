"""Property tests: hostile bytes never break the queue parsers, on either side of the line."""

from __future__ import annotations

from contextlib import suppress
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.queue import protocol as q
from drivers.queue.framing import FrameSplitter
from drivers.queue.protocol import Cmd, Frame, QueueProtocolError, Ticket
from drivers.queue.simulator import QueueSimulator

fuzz = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=200)
MAX_FRAME = q.HEADER_SIZE + q.MAX_DATA + q.TRAILER_SIZE

VALID = [
    q.encode(Frame(1, 0, Cmd.PING)),
    q.encode(Frame(1, 1, Cmd.TAKE_TICKET, q.take_ticket(2, 0))),
    q.encode(Frame(1, 1, Cmd.TAKE_TICKET).reply(0, q.ticket_reply(Ticket("A012", 7)))),
    q.encode(Frame(1, 7, Cmd.SHOW_TEXT, q.show_text(1, 0, "请A012号到3号窗口"))),
    q.encode(Frame(1, 8, Cmd.STATUS).reply(0, b"\x03\x00\x10")),
    q.encode(Frame(1, 9, Cmd.KEY_EVENT, b"\x02\x01")),
]
pieces = st.one_of(
    st.binary(max_size=16),
    st.builds(lambda n: bytes([q.STX, 1, 0, 1]) + n.to_bytes(2, "big"), st.integers(0, 0xFFFF)),
    st.sampled_from([b"\x02", b"\x03", b"\x02\x01"]),
)
garbage = st.lists(pieces, max_size=10).map(b"".join)


def mutate(frame: bytes, data: st.DataObject) -> bytes:
    out = bytearray(frame)
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        i = data.draw(st.integers(0, max(0, len(out) - 1)))
        if op == "flip" and out:
            out[i] ^= data.draw(st.integers(1, 255))
        elif op == "insert":
            out.insert(i, data.draw(st.integers(0, 255)))
        elif op == "delete" and out:
            del out[i]
        else:
            del out[i:]
    return bytes(out)


def decode_everything(raw: bytes) -> None:
    """Every parser the host and the device run on one frame: only their error escapes."""
    try:
        frame = q.decode(raw)
    except QueueProtocolError:
        return
    for parse in (q.decode_ticket, q.decode_state, q.decode_event, lambda f: f.status):
        with suppress(QueueProtocolError):
            parse(frame)


@fuzz
@given(st.binary(max_size=600))
def test_random_bytes_raise_only_protocol_error(raw: bytes) -> None:
    decode_everything(raw)
    decode_everything(bytes([q.STX]) + raw)


@fuzz
@given(st.sampled_from(VALID), st.data())
def test_mutated_frames_raise_only_protocol_error(frame: bytes, data: st.DataObject) -> None:
    decode_everything(mutate(frame, data))


@fuzz
@given(st.binary(min_size=0, max_size=40), st.integers(0, 255), st.integers(0, 255))
def test_payloads_with_a_good_crc_raise_only_protocol_error(
    data: bytes, cmd: int, seq: int
) -> None:
    decode_everything(q.encode(Frame(1, seq, cmd, data)))


@fuzz
@given(st.lists(st.binary(max_size=64) | garbage, max_size=10), st.booleans())
def test_splitter_never_raises_and_stays_bounded(chunks: list[bytes], verify: bool) -> None:
    splitter = FrameSplitter(verify=verify)
    for chunk in chunks:
        for frame in splitter.feed(chunk):
            assert frame[0] == q.STX and frame[-3] == q.ETX
            assert not verify or q.crc_ok(frame)
        assert splitter.pending < MAX_FRAME


@fuzz
@given(garbage, st.sampled_from(VALID), st.data())
def test_splitter_recovers_a_frame_after_garbage(
    noise: bytes, frame: bytes, data: st.DataObject
) -> None:
    stream = noise + frame
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=6)))
    splitter = FrameSplitter()
    out = [f for a, b in pairwise([0, *cuts, len(stream)]) for f in splitter.feed(stream[a:b])]
    assert out == [frame]


@fuzz
@given(st.sampled_from(VALID) | st.binary(max_size=80), st.data())
def test_the_simulated_device_answers_anything_without_raising(
    frame: bytes, data: st.DataObject
) -> None:
    sim = QueueSimulator()  # never started: handle() alone, as its serve thread calls it
    raw = mutate(frame, data)
    for candidate in [raw, *FrameSplitter(verify=False).feed(raw)]:
        reply = sim.handle(candidate)
        assert reply is None or q.decode(reply).is_reply
