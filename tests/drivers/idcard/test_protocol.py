"""GA 467 frames, the text block and the check digit, against the spec's bytes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from drivers.idcard import protocol as p
from drivers.idcard.protocol import (
    FrameBuffer,
    IdCard,
    ProtocolError,
    Reply,
    checksum,
    decode_command,
    decode_read_reply,
    decode_reply,
    decode_text_block,
    encode_command,
    encode_read_reply,
    encode_reply,
    encode_text_block,
    id_check_digit,
    is_valid_id_number,
)

CARD = IdCard(
    name="欧阳娜娜",
    sex="2",
    nation="01",
    birth="19491231",
    address="北京市东城区景山前街4号院2号楼3单元501室",
    id_number="11010519491231002X",
    authority="北京市公安局东城分局",
    valid_from="20200101",
    valid_to="长期",
    photo=bytes(range(256)) * 4,
)

GOLDEN_COMMANDS = [
    ((0x20, 0x01), "AA AA AA 96 69 00 03 20 01 22"),  # find card
    ((0x20, 0x02), "AA AA AA 96 69 00 03 20 02 21"),  # select card
    ((0x30, 0x01), "AA AA AA 96 69 00 03 30 01 32"),  # read text + photo
    ((0x10, 0xFF), "AA AA AA 96 69 00 03 10 FF EC"),  # reset SAM
    ((0x11, 0xFF), "AA AA AA 96 69 00 03 11 FF ED"),  # SAM status
    ((0x12, 0xFF), "AA AA AA 96 69 00 03 12 FF EE"),  # read SAM ID
]

GOLDEN_REPLIES = [
    (Reply(0, 0, 0x9F, bytes(4)), "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97"),  # find OK
    (Reply(0, 0, 0x80, b""), "AA AA AA 96 69 00 04 00 00 80 84"),  # no card
    (Reply(0, 0, 0x41, b""), "AA AA AA 96 69 00 04 00 00 41 45"),  # read failed
]


@pytest.mark.parametrize(("command", "hexframe"), GOLDEN_COMMANDS)
def test_golden_commands(command: tuple[int, int], hexframe: str) -> None:
    frame = bytes.fromhex(hexframe)
    assert encode_command(*command) == frame
    assert decode_command(frame) == (*command, b"")


def test_command_constants_match_the_spec() -> None:
    assert [c for c, _ in GOLDEN_COMMANDS] == [
        p.FIND_CARD, p.SELECT_CARD, p.READ_BASE, p.SAM_RESET, p.SAM_STATUS, p.SAM_ID
    ]  # fmt: skip


@pytest.mark.parametrize(("reply", "hexframe"), GOLDEN_REPLIES)
def test_golden_replies(reply: Reply, hexframe: str) -> None:
    frame = bytes.fromhex(hexframe)
    assert encode_reply(reply.sw3, reply.data, reply.sw1, reply.sw2) == frame
    assert decode_reply(frame) == reply


def test_checksum_is_xor_from_len_to_last_data_byte() -> None:
    assert checksum(b"") == 0
    assert checksum(bytes.fromhex("00 03 20 01")) == 0x22
    assert checksum(bytes.fromhex("00 08 00 00 9F 00 00 00 00")) == 0x97


def test_command_with_data_counts_it_in_len() -> None:
    frame = encode_command(0x60, 0x00, b"\x01\x02")
    assert frame[5:7] == b"\x00\x05"
    assert decode_command(frame) == (0x60, 0x00, b"\x01\x02")


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ("AA AA AA 96 69 00 04 00 00 80", "too short|LEN"),
        ("AA AA AA 96 68 00 04 00 00 80 84", "preamble"),
        ("AA AA AA 96 69 00 05 00 00 80 84", "LEN says 5"),
        ("AA AA AA 96 69 00 04 00 00 80 85", "checksum"),
        ("AA AA AA 96 69 00 03 20 01 22", "too short"),  # a command is not a reply
        ("", "too short"),
    ],
)
def test_decode_reply_rejects_malformed_frames(frame: str, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        decode_reply(bytes.fromhex(frame))


def test_sw3_messages_cover_the_spec() -> None:
    codes = {0x90, 0x9F, 0x91, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x41,
             0x47, 0x60, 0x66, 0x80, 0x81}  # fmt: skip
    assert set(p.SW3_MESSAGES) == codes
    assert Reply(0, 0, 0x80, b"").message == "no card"
    assert "0x77" in p.sw3_message(0x77)


def test_read_reply_layout_and_round_trip() -> None:
    frame = encode_read_reply(CARD)
    assert len(frame) == 1295
    assert frame[5:7] == b"\x05\x08"
    assert frame[7:10] == b"\x00\x00\x90"
    assert frame[10:12] == b"\x01\x00" and frame[12:14] == b"\x04\x00"
    text = frame[14:270]
    assert text[0:8] == "欧阳娜娜".encode("utf-16-le")
    assert text[8:30] == b" \x00" * 11  # padding
    assert text[30:32] == b"2\x00"
    assert text[122:158] == "11010519491231002X".encode("utf-16-le")
    assert text[204:208] == "长期".encode("utf-16-le")
    assert text[248:250] == b" \x00"  # blank type flag: resident card
    assert frame[270:1294] == CARD.photo
    assert frame[1294] == checksum(frame[5:1294])
    assert decode_read_reply(decode_reply(frame)) == CARD


def _block(**fields: tuple[int, str]) -> bytes:
    """A text block built from the spec's byte offsets, independently of the encoder."""
    block = bytearray(b" \x00" * 128)
    for start, value in fields.values():
        raw = value.encode("utf-16-le")
        block[start : start + len(raw)] = raw
    return bytes(block)


VALID_FIELDS = {
    "name": (0, "张三"), "sex": (30, "1"), "nation": (32, "01"), "birth": (36, "19800101"),
    "address": (52, "上海市黄浦区"), "id_number": (122, "440524188001010014"),
    "authority": (158, "上海市公安局"), "valid_from": (188, "20150601"),
    "valid_to": (204, "20350601"),
}  # fmt: skip


def test_decode_text_block_from_spec_offsets() -> None:
    fields = decode_text_block(_block(**VALID_FIELDS))
    assert fields == {k: v for k, (_, v) in VALID_FIELDS.items()}
    assert encode_text_block(IdCard(**fields)) == _block(**VALID_FIELDS)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", (122, "440524188001010015"), "GB 11643"),
        ("id_number", (122, "11010519491231002x"), "GB 11643"),
        ("sex", (30, "3"), "sex"),
        ("nation", (32, "A1"), "nation"),
        ("birth", (36, "1980-1-1"), "birth"),
        ("valid_to", (204, "长久"), "valid_to"),
        ("name", (0, ""), "name"),
        ("flag", (248, "Q"), "card type"),  # J, I and Y are the known types
    ],
)
def test_decode_text_block_rejects_impossible_data(
    field: str, value: tuple[int, str], message: str
) -> None:
    fields = {**VALID_FIELDS, field: value}
    with pytest.raises(ProtocolError, match=message):
        decode_text_block(_block(**fields))


def test_decode_text_block_rejects_wrong_size_and_bad_ucs2() -> None:
    with pytest.raises(ProtocolError, match="255 bytes"):
        decode_text_block(bytes(255))
    broken = bytearray(_block(**VALID_FIELDS))
    broken[52:54] = b"\x00\xd8"  # a lone surrogate in the address
    with pytest.raises(ProtocolError, match="address"):
        decode_text_block(bytes(broken))


def test_read_reply_with_wrong_check_digit_is_rejected() -> None:
    bad = replace(CARD, id_number="110105194912310021")
    with pytest.raises(ProtocolError, match="GB 11643"):
        decode_read_reply(decode_reply(encode_read_reply(bad)))


def test_decode_read_reply_checks_status_and_lengths() -> None:
    with pytest.raises(ProtocolError, match="read failed"):
        decode_read_reply(decode_reply(bytes.fromhex("AA AA AA 96 69 00 04 00 00 41 45")))
    good = decode_reply(encode_read_reply(CARD))
    for data in (good.data[:-1], b"\x01\x00", b"\x01\x00\x03\x00" + good.data[4:]):
        with pytest.raises(ProtocolError):
            decode_read_reply(Reply(0, 0, 0x90, data))


def test_encoder_refuses_what_a_card_cannot_hold() -> None:
    with pytest.raises(ProtocolError, match="name"):
        encode_text_block(replace(CARD, name="名" * 16))
    with pytest.raises(ProtocolError, match="UCS-2"):
        encode_text_block(replace(CARD, address="𠀀"))  # outside the BMP
    with pytest.raises(ProtocolError, match="photo"):
        encode_read_reply(replace(CARD, photo=b"\x00"))


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "440524188001010014", "310101199003079873",
     "510107198511112036", "320102197202294567"],
)  # fmt: skip
def test_known_valid_id_numbers(number: str) -> None:
    assert id_check_digit(number[:17]) == number[17]
    assert is_valid_id_number(number)


@pytest.mark.parametrize(
    "number",
    ["11010519491231002Y", "110105194912310020", "11010519491231002x", "1101051949123100",
     "1101051949123100X2", "11010519491231002X0", "１10105194912310020", ""],
)  # fmt: skip
def test_invalid_id_numbers(number: str) -> None:
    assert not is_valid_id_number(number)


def test_check_digit_needs_17_ascii_digits() -> None:
    for bad in ("1101051949123100", "1101051949123100A", "１１０１０５１９４９１２３１００２"):
        with pytest.raises(ValueError):
            id_check_digit(bad)


def test_repr_masks_personal_data() -> None:
    text = repr(CARD) + str(CARD) + f"{CARD!r}"
    for secret in (CARD.name, CARD.id_number, CARD.address, CARD.birth, "欧阳"):
        assert secret not in text
    assert "1024" in text


def test_frame_buffer_splits_a_byte_stream() -> None:
    a, b = encode_reply(0x80), encode_read_reply(CARD)
    buf = FrameBuffer()
    out = [f for byte in (a + b) for f in buf.feed(bytes([byte]))]
    assert out == [a, b] and buf.pending == 0
    assert FrameBuffer().feed(b"\x00\xaa" + a + b"junk" + b + a) == [a, b, a]


def test_frame_buffer_is_bounded_and_skips_absurd_lengths() -> None:
    buf = FrameBuffer()
    assert buf.feed(bytes(range(256)) * 400) == []
    assert buf.pending < len(p.PREAMBLE)
    frame = encode_reply(0x90)
    assert buf.feed(p.PREAMBLE + b"\xff\xff" + p.PREAMBLE + b"\x00\x01" + frame) == [frame]


def test_frame_buffer_checksum_handling_depends_on_side() -> None:
    bad = bytes.fromhex("AA AA AA 96 69 00 03 20 01 23")
    good = encode_command(*p.FIND_CARD)
    assert FrameBuffer().feed(bad + good) == [good]  # driver: drop and resync
    assert FrameBuffer(verify=False).feed(bad + good) == [bad, good]  # device: answer 10


def test_frame_buffer_does_not_wait_for_a_cut_off_frame() -> None:
    cut = encode_read_reply(CARD)[:600]  # e.g. the port reopened mid-answer
    answer = encode_reply(0x80)
    assert FrameBuffer().feed(cut + answer) == [answer]
    buf = FrameBuffer()
    assert buf.feed(cut) == []
    assert buf.feed(answer) == [answer]
