"""The four text block layouts, SW3 messages in both languages, rate switching, the photo."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from drivers.idcard import protocol as p
from drivers.idcard.photo import NoPhotoDecoder, PhotoDecoder, decode_photo
from drivers.idcard.protocol import (
    CardType,
    IdCard,
    ProtocolError,
    decode_read_reply,
    decode_reply,
    decode_text_block,
    encode_read_reply,
    encode_text_block,
    id_check_digit,
)
from drivers.idcard.samples import FOREIGN_2023, FOREIGN_OLD, HMT_PERMIT, PERMITS

fuzz = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100)


def block(*fields: tuple[int, str]) -> bytes:
    """A text block from the spec's byte offsets, independently of the encoder."""
    out = bytearray(b" \x00" * 128)
    for start, value in fields:
        raw = value.encode("utf-16-le")
        out[start : start + len(raw)] = raw
    return bytes(out)


HMT_BLOCK = block(
    (0, "陈演示"), (30, "1"), (36, "19900101"), (52, "广东省深圳市福田区示例路2号"),
    (122, "810000199001010019"), (158, "深圳市公安局福田分局"), (188, "20230101"),
    (204, "20280101"), (220, "H12345678"), (238, "01"), (248, "J"),
)  # fmt: skip
FOREIGN_OLD_BLOCK = block(
    (0, "SAMPLE, JANE EXAMPLE"), (120, "2"), (122, "USA310080808001"), (152, "USA"),
    (158, "史密斯"), (188, "20150301"), (204, "20250301"), (220, "19800808"), (236, "01"),
    (240, "3100"), (248, "I"),
)  # fmt: skip
FOREIGN_2023_BLOCK = block(
    (0, "史测试"), (30, "1"), (32, "00"), (36, "19800808"),
    (52, "TESTCASE, JOHN ALEXANDER MAXIMILIAN"), (220, " SAMPLE"),  # 35 + 7 characters
    (122, "931840198008080018"), (158, "国家移民管理局"), (188, "20240101"),
    (204, "20340101"), (242, "USA"), (248, "Y"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("card", "raw"),
    [(HMT_PERMIT, HMT_BLOCK), (FOREIGN_OLD, FOREIGN_OLD_BLOCK), (FOREIGN_2023, FOREIGN_2023_BLOCK)],
    ids=["J", "I", "Y"],
)
def test_layouts_match_the_spec_offsets(card: IdCard, raw: bytes) -> None:
    assert encode_text_block(card) == raw
    fields = decode_text_block(raw)
    assert IdCard(**fields) == card  # type: ignore[arg-type]
    frame = encode_read_reply(card)
    assert len(frame) == 1295 and frame[14:270] == raw
    assert decode_read_reply(decode_reply(frame)) == card


def test_a_resident_block_still_decodes_to_the_nine_fields() -> None:
    resident = IdCard("张三", "1", "01", "19800101", "上海市黄浦区", "440524188001010014",
                      "上海市公安局", "20150601", "20350601")  # fmt: skip
    fields = decode_text_block(encode_text_block(resident))
    assert set(fields) == {"name", "sex", "nation", "birth", "address", "id_number",
                           "authority", "valid_from", "valid_to"}  # fmt: skip
    assert IdCard(**fields).card_type is CardType.RESIDENT  # type: ignore[arg-type]


def test_display_name_falls_back_to_the_english_name() -> None:
    assert FOREIGN_OLD.display_name == "史密斯"
    assert replace(FOREIGN_OLD, name="").display_name == "SAMPLE, JANE EXAMPLE"


@pytest.mark.parametrize(
    ("card", "message"),
    [
        (replace(HMT_PERMIT, nation="01"), "nation"),
        (replace(HMT_PERMIT, pass_number=""), "pass_number"),
        (replace(HMT_PERMIT, pass_number="H-1234"), "pass_number"),
        (replace(HMT_PERMIT, issue_count="1"), "issue_count"),
        (replace(HMT_PERMIT, id_number="810000199001010010"), "GB 11643"),
        (replace(FOREIGN_OLD, english_name=""), "english_name"),
        (replace(FOREIGN_OLD, id_number="USA31008080800"), "15"),
        (replace(FOREIGN_OLD, nationality="us"), "nationality"),
        (replace(FOREIGN_OLD, valid_to="2025"), "valid_to"),
        (replace(FOREIGN_2023, id_number="440524188001010014"), "GB 11643"),  # not a 9 number
        (replace(FOREIGN_2023, id_number="931840198008080019"), "GB 11643"),
        (replace(FOREIGN_2023, renewal_count=""), "renewal_count"),
        (replace(FOREIGN_2023, sex="0"), "sex"),
    ],
)
def test_impossible_permits_are_rejected(card: IdCard, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        decode_text_block(encode_text_block(card))


def test_encoder_refuses_an_english_name_that_does_not_fit() -> None:
    with pytest.raises(ProtocolError, match="46"):
        encode_text_block(replace(FOREIGN_2023, english_name="X" * 47))
    with pytest.raises(ProtocolError, match="english_name"):
        encode_text_block(replace(FOREIGN_OLD, english_name="X" * 61))


@pytest.mark.parametrize("card", list(PERMITS.values()), ids=list(PERMITS))
def test_repr_masks_every_layout(card: IdCard) -> None:
    text = repr(card)
    for secret in (card.name, card.english_name, card.id_number, card.pass_number, card.birth):
        assert not secret or secret not in text
    assert card.card_type.value in text


def test_every_sw3_code_has_a_message_in_both_languages() -> None:
    assert set(p.SW3_MESSAGES_ZH) == set(p.SW3_MESSAGES)
    for code in p.SW3_MESSAGES:
        assert p.sw3_message(code) and p.sw3_message(code, "zh")
        assert p.sw3_message(code, "zh") != p.sw3_message(code)
    assert p.Reply(0, 0, 0x80, b"").message_zh == "未放卡（寻卡失败）"
    assert p.sw3_message(0x77, "zh") == "未知状态 0x77"


GOLDEN_BAUD = [
    (115200, "AA AA AA 96 69 00 03 60 00 63"),
    (57600, "AA AA AA 96 69 00 03 60 01 62"),
    (38400, "AA AA AA 96 69 00 03 60 02 61"),
    (19200, "AA AA AA 96 69 00 03 60 03 60"),
    (9600, "AA AA AA 96 69 00 03 60 04 67"),
]


@pytest.mark.parametrize(("rate", "hexframe"), GOLDEN_BAUD)
def test_baud_switch_commands(rate: int, hexframe: str) -> None:
    assert p.encode_command(*p.set_baud(rate)) == bytes.fromhex(hexframe)
    assert p.baud_of(p.set_baud(rate)) == rate


def test_only_the_five_rates_exist() -> None:
    with pytest.raises(ValueError, match="4800"):
        p.set_baud(4800)
    assert p.baud_of((0x60, 0x05)) is None and p.baud_of(p.FIND_CARD) is None


# --- the photo stays raw behind a pluggable decoder ------------------------------------


class GreyDecoder:
    """A stand-in for a licensed vendor decoder: it sees the raw WLT bytes."""

    def __init__(self) -> None:
        self.seen: list[bytes] = []

    def decode(self, wlt: bytes) -> Image.Image | None:
        self.seen.append(wlt)
        return Image.new("RGB", (102, 126), (wlt[0], wlt[1], wlt[2]))


class BrokenDecoder:
    def decode(self, wlt: bytes) -> Image.Image | None:
        raise RuntimeError(wlt.hex())


def test_photo_decoders_are_pluggable_and_cannot_break_a_read() -> None:
    card = replace(HMT_PERMIT, photo=bytes(range(256)) * 4)
    grey = GreyDecoder()
    assert isinstance(grey, PhotoDecoder) and isinstance(NoPhotoDecoder(), PhotoDecoder)
    image = decode_photo(card, grey)
    assert image is not None and image.getpixel((0, 0)) == (0, 1, 2)
    assert grey.seen == [card.photo]
    assert decode_photo(card, NoPhotoDecoder()) is None
    assert decode_photo(card) is None
    assert decode_photo(card, BrokenDecoder()) is None
    assert decode_photo(replace(card, photo=bytes(1024)), grey) is None  # no photo on the card
    assert len(grey.seen) == 1


# --- properties: any card a real reader could return survives the round trip -----------

cjk = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=15)
latin = st.from_regex(r"[A-Z][A-Z ,]{0,44}[A-Z]", fullmatch=True)
date = st.dates().map(lambda d: d.strftime("%Y%m%d")).filter(lambda s: len(s) == 8)


def gb11643(prefix: str) -> st.SearchStrategy[str]:
    digits = st.text("0123456789", min_size=17 - len(prefix), max_size=17 - len(prefix))
    return digits.map(lambda d: prefix + d + id_check_digit(prefix + d))


cards = st.one_of(
    st.builds(IdCard, name=cjk, sex=st.sampled_from("12"), nation=st.just(""), birth=date,
              address=cjk, id_number=gb11643("81"), authority=cjk, valid_from=date,
              valid_to=date | st.just("长期"), card_type=st.just(CardType.HMT_PERMIT),
              pass_number=st.from_regex(r"[A-Z0-9]{8,9}", fullmatch=True),
              issue_count=st.from_regex(r"[0-9]{2}", fullmatch=True)),
    st.builds(IdCard, name=cjk | st.just(""), sex=st.sampled_from("12"), nation=st.just(""),
              birth=date, address=st.just(""),
              id_number=st.from_regex(r"[A-Z]{3}[0-9]{12}", fullmatch=True),
              authority=st.from_regex(r"[0-9]{4}", fullmatch=True), valid_from=date,
              valid_to=date, card_type=st.just(CardType.FOREIGN_OLD),
              english_name=latin, nationality=st.from_regex(r"[A-Z]{3}", fullmatch=True),
              card_version=st.from_regex(r"[0-9]{2}", fullmatch=True)),
    st.builds(IdCard, name=cjk | st.just(""), sex=st.sampled_from("12"), nation=st.just(""),
              birth=date, address=st.just(""), id_number=gb11643("9"), authority=cjk,
              valid_from=date, valid_to=date, card_type=st.just(CardType.FOREIGN_2023),
              english_name=latin, nationality=st.from_regex(r"[A-Z]{3}", fullmatch=True),
              renewal_count=st.from_regex(r"[0-9]{2}", fullmatch=True)),
)  # fmt: skip


@fuzz
@given(cards)
def test_every_permit_round_trips(card: IdCard) -> None:
    assert decode_read_reply(decode_reply(encode_read_reply(card))) == card


@fuzz
@given(st.sampled_from(list(PERMITS.values())), st.data())
def test_mutated_permit_text_raises_only_protocol_error(card: IdCard, data: st.DataObject) -> None:
    raw = bytearray(encode_text_block(card))
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, 255))] = data.draw(st.integers(0, 255))
    try:
        fields = decode_text_block(bytes(raw))
    except ProtocolError:
        return
    decoded = IdCard(**fields)  # type: ignore[arg-type]
    assert decoded.card_type in CardType
