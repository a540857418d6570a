"""Queue-device frames, CRC and payloads, against the spec's test vectors byte for byte."""

from __future__ import annotations

import pytest

from drivers.queue import protocol as q
from drivers.queue.framing import FrameSplitter
from drivers.queue.protocol import (
    Cmd,
    DeviceState,
    Event,
    Flags,
    Frame,
    QueueProtocolError,
    Ticket,
    crc16_modbus,
    decode,
    encode,
)

PING = bytes.fromhex("02 01 00 3F 00 00 03 4D DF")
TAKE = bytes.fromhex("02 01 01 01 00 02 02 00 03 70 AF")
TICKET = bytes.fromhex("02 01 01 81 00 07 00 41 30 31 32 00 07 03 12 1E")

GOLDEN = [
    (Frame(1, 0, Cmd.PING), PING),
    (Frame(1, 1, Cmd.TAKE_TICKET, q.take_ticket(2, 0)), TAKE),
    (Frame(1, 1, Cmd.TAKE_TICKET).reply(0, q.ticket_reply(Ticket("A012", 7))), TICKET),
]


@pytest.mark.parametrize(("frame", "raw"), GOLDEN, ids=["ping", "take", "ticket"])
def test_spec_vectors(frame: Frame, raw: bytes) -> None:
    assert encode(frame) == raw
    assert decode(raw) == frame


def test_crc_is_modbus_over_addr_to_etx_low_byte_first() -> None:
    assert crc16_modbus(b"123456789") == 0x4B37  # the published CRC-16/MODBUS check value
    for _, raw in GOLDEN:
        crc = crc16_modbus(raw[1:-2])  # ADDR .. ETX: STX and the CRC itself excluded
        assert raw[-2:] == bytes([crc & 0xFF, crc >> 8])


def test_the_ticket_reply_reads_as_the_spec_says() -> None:
    reply = decode(TICKET)
    assert reply.is_reply and reply.cmd == Cmd.TAKE_TICKET | 0x80 and reply.status == 0
    assert q.decode_ticket(reply) == Ticket("A012", 7)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("02 01 00 3F 00 00 03 4D", "too short"),
        ("03 01 00 3F 00 00 03 4D DF", "STX"),
        ("02 01 00 3F 00 01 03 4D DF", "LEN says"),
        ("02 01 00 3F 00 00 04 4D DF", "ETX"),
        ("02 01 00 3F 00 00 03 4D DE", "CRC"),
        ("02 01 00 3F 02 01 03 4D DF", "LEN beyond"),
    ],
)
def test_decode_rejects_malformed_frames(raw: str, message: str) -> None:
    with pytest.raises(QueueProtocolError, match=message):
        decode(bytes.fromhex(raw))


def test_decode_can_leave_the_crc_to_the_caller() -> None:
    bad = PING[:-1] + b"\x00"
    assert decode(bad, check_crc=False) == Frame(1, 0, Cmd.PING)
    assert not q.crc_ok(bad) and q.crc_ok(PING)


def test_encode_refuses_what_does_not_fit() -> None:
    for frame in (Frame(256, 0, 1), Frame(1, -1, 1), Frame(1, 0, 1, bytes(q.MAX_DATA + 1))):
        with pytest.raises(QueueProtocolError):
            encode(frame)


def test_payloads() -> None:
    assert q.window_ticket(3, "A012") == b"\x03A012"
    assert q.window_data(7) == b"\x07"
    text = "请A012号到3号窗口"
    assert q.show_text(1, 2, text) == b"\x01\x02" + text.encode("gb18030")
    assert q.encode_text("𠀀") == "𠀀".encode("gb18030")  # GB18030 covers rare characters too
    assert q.decode_text(q.encode_text(text)) == text
    state = Frame(1, 5, Cmd.STATUS).reply(0, q.state_reply(DeviceState(Flags.PAPER_LOW, 300)))
    assert state.data == b"\x00\x01\x01\x2c"
    assert q.decode_state(state) == DeviceState(Flags.PAPER_LOW, 300)
    assert q.decode_event(Frame(1, 9, Cmd.RATING, b"\x02\x05")) == Event(Cmd.RATING, 2, 5)


@pytest.mark.parametrize(
    "call",
    [
        lambda: q.take_ticket(256),
        lambda: q.window_ticket(1, "A-12"),
        lambda: q.window_ticket(1, "票"),
        lambda: q.window_ticket(1, ""),
        lambda: q.encode_text("x" * (q.MAX_TEXT + 1)),
        lambda: q.encode_text("\ud800"),
        lambda: q.decode_text(b"\xff\xff"),
        lambda: q.decode_ticket(Frame(1, 1, 0x81, b"\x00A")),
        lambda: q.decode_ticket(Frame(1, 1, 0x81, b"\x00A-1\x00\x01")),
        lambda: q.decode_state(Frame(1, 1, 0xB0, b"\x00\x00")),
        lambda: q.decode_event(Frame(1, 1, Cmd.PING, b"\x01\x01")),
        lambda: Frame(1, 1, 0x81).status,
    ],
)
def test_payload_errors_are_protocol_errors(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueueProtocolError):
        call()


def test_splitter_cuts_a_stream_anywhere() -> None:
    stream = PING + TAKE + TICKET
    splitter = FrameSplitter()
    out = [f for byte in stream for f in splitter.feed(bytes([byte]))]
    assert out == [PING, TAKE, TICKET] and splitter.pending == 0


def test_splitter_drops_garbage_and_resyncs() -> None:
    noise = b"\x00\x02\x02\xff\x03" + PING[:-1] + b"\x00"  # a PING with a bad CRC
    assert FrameSplitter().feed(noise + TAKE + b"\x02\x01" + TICKET) == [TAKE, TICKET]


def test_splitter_does_not_wait_for_a_cut_off_frame() -> None:
    fake = b"\x02\x01\x00\x20\x01\xf0"  # STX and a LEN of 496: would swallow what follows
    assert FrameSplitter().feed(fake + PING) == [PING]
    assert FrameSplitter().feed(TICKET[:9] + TAKE) == [TAKE]


def test_the_device_side_also_gets_frames_with_a_bad_crc() -> None:
    bad = TAKE[:-1] + b"\x00"
    assert FrameSplitter(verify=False).feed(bad + PING) == [bad, PING]
    assert FrameSplitter().feed(bad + PING) == [PING]
