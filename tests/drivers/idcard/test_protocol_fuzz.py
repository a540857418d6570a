"""Property tests: hostile bytes never break the decoders or the frame splitter."""

from __future__ import annotations

from contextlib import suppress
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.idcard import protocol as p
from drivers.idcard.protocol import (
    PREAMBLE,
    FrameBuffer,
    IdCard,
    ProtocolError,
    Reply,
    checksum,
    decode_read_reply,
    decode_reply,
    encode_read_reply,
    encode_reply,
)
from drivers.idcard.simulator import IdCardSimulator

settings.register_profile(
    "idcard", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=150
)
fuzz = settings.get_profile("idcard")

READ_REPLY = encode_read_reply(
    IdCard("李四", "1", "03", "19900307", "上海市黄浦区南京东路1号", "310101199003079873",
           "上海市公安局黄浦分局", "20100307", "20300307", bytes(range(256)) * 4)
)  # fmt: skip
VALID = [
    encode_reply(0x9F, bytes(4)),
    encode_reply(0x80),
    encode_reply(0x90, bytes(range(16))),
    p.encode_command(*p.FIND_CARD),
    READ_REPLY,
]

# Garbage rich in the things that confuse a splitter: preamble pieces and LEN fields.
pieces = st.one_of(
    st.binary(max_size=24),
    st.sampled_from([PREAMBLE[:k] for k in range(1, 6)]),
    st.builds(lambda n: PREAMBLE + n.to_bytes(2, "big"), st.integers(0, 0xFFFF)),
    st.sampled_from(VALID[:4]),
)
garbage = st.lists(pieces, max_size=12).map(b"".join)


def _mutate(frame: bytes, data: st.DataObject) -> bytes:
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


def _chunks(stream: bytes, data: st.DataObject) -> list[bytes]:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=8)))
    bounds = [0, *cuts, len(stream)]
    return [stream[a:b] for a, b in pairwise(bounds)]


def _well_formed(frame: bytes) -> bool:
    length = int.from_bytes(frame[5:7], "big")
    return (
        frame.startswith(PREAMBLE)
        and length == len(frame) - 7
        and checksum(frame[5:-1]) == frame[-1]
    )


def _decode_all(frame: bytes) -> None:
    try:
        reply = decode_reply(frame)
    except ProtocolError:
        return
    assert isinstance(reply, Reply)
    with suppress(ProtocolError):
        decode_read_reply(reply)


@fuzz
@given(st.binary(max_size=1400))
def test_random_bytes_raise_only_protocol_error(frame: bytes) -> None:
    _decode_all(frame)
    _decode_all(PREAMBLE + frame)


@fuzz
@given(st.sampled_from(VALID), st.data())
def test_mutated_frames_raise_only_protocol_error(frame: bytes, data: st.DataObject) -> None:
    _decode_all(_mutate(frame, data))


@fuzz
@given(st.data())
def test_mutated_card_text_with_a_good_checksum_raises_only_protocol_error(
    data: st.DataObject,
) -> None:
    # Repairing CHK gets the damage past the framing into the text block decoder.
    body = bytearray(READ_REPLY[5:-1])
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(9, 9 + 255))  # text block inside body
        body[i] = data.draw(st.integers(0, 255))
    frame = PREAMBLE + bytes(body) + bytes([checksum(body)])
    try:
        card = decode_read_reply(decode_reply(frame))
    except ProtocolError:
        return
    assert p.is_valid_id_number(card.id_number)


@fuzz
@given(st.lists(st.binary(max_size=64) | garbage, max_size=10), st.booleans())
def test_frame_buffer_never_raises_and_stays_bounded(chunks: list[bytes], verify: bool) -> None:
    buf = FrameBuffer(verify=verify)
    for chunk in chunks:
        for frame in buf.feed(chunk):
            assert frame.startswith(PREAMBLE)
            assert not verify or _well_formed(frame)
        assert buf.pending < p.MAX_FRAME


@fuzz
@given(garbage, st.sampled_from(VALID), st.data())
def test_frame_buffer_recovers_a_frame_after_garbage(
    noise: bytes, frame: bytes, data: st.DataObject
) -> None:
    while PREAMBLE in noise:  # a whole preamble in the noise may start a legal frame
        noise = noise.replace(PREAMBLE, b"")
    buf = FrameBuffer()
    out = [f for chunk in _chunks(noise + frame, data) for f in buf.feed(chunk)]
    assert out == [frame]


@fuzz
@given(st.integers(p.HEADER_SIZE, 1000), st.sampled_from(VALID[:4]), st.data())
def test_frame_buffer_recovers_after_a_cut_off_frame(
    cut: int, frame: bytes, data: st.DataObject
) -> None:
    buf = FrameBuffer()
    stream = READ_REPLY[:cut] + frame
    out = [f for chunk in _chunks(stream, data) for f in buf.feed(chunk)]
    assert out == [frame]


@fuzz
@given(st.sampled_from(VALID) | st.binary(max_size=64), st.data())
def test_the_simulated_module_answers_anything_with_a_frame(
    frame: bytes, data: st.DataObject
) -> None:
    # The device side of the line: whatever the splitter lets through gets a reply
    # frame (SW3 10, 11 or 21 for what is not a good command), never an exception.
    sim = IdCardSimulator()
    raw = _mutate(frame, data)
    for candidate in FrameBuffer(verify=False).feed(raw):
        reply = decode_reply(sim.respond(candidate))
        assert isinstance(reply, Reply)
