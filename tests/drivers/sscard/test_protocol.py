"""Social security card protocol: golden APDUs from devices.md, TLV, field codecs, T=0."""

from __future__ import annotations

import pytest

from drivers.sscard import protocol as p
from drivers.sscard.card import decode_field, encode_field, mask
from drivers.sscard.simulator import CardBehaviour, SimulatedCard
from tests.drivers.sscard.cards import CARD, OTHER

H = bytes.fromhex

# --- golden command APDUs (devices.md section 2) -------------------------------------------


def test_select_ssse_by_name_golden() -> None:
    assert H("7378312E73682EC9E7BBE1B1A3D5CF") == p.SSSE_NAME  # GBK "sx1.sh.社会保障"
    assert p.select_by_name() == H("00A404000F7378312E73682EC9E7BBE1B1A3D5CF")


@pytest.mark.parametrize(
    ("apdu", "golden"),
    [
        (p.select_file(p.EF05), "00A4020002EF05"),
        (p.select_file(p.EF06), "00A4020002EF06"),
        (p.read_record(0x07, 0x0B), "00B207000B"),
        (p.read_record(0x09, 32), "00B2090020"),
        (p.read_record(0x04, 256), "00B2040000"),
        (p.read_record_sfi(5, 7, 0x0B), "00B2072C0B"),  # SFI 5 record 7, no SELECT
        (p.read_record_sfi(6, 2, 0x20), "00B2023420"),  # P2 = 0x34 for SFI 6
        (p.get_response(0x11), "00C0000011"),
    ],
)
def test_command_golden(apdu: bytes, golden: str) -> None:
    assert apdu == H(golden)


def test_builders_refuse_what_does_not_fit() -> None:
    for bad in (lambda: p.select_by_name(b""), lambda: p.select_file(0x10000),
                lambda: p.read_record(0x100, 1), lambda: p.read_record_sfi(31, 1, 1)):
        with pytest.raises(ValueError):
            bad()


@pytest.mark.parametrize(
    ("apdu", "cmd"),
    [
        ("00B2070000", p.Command(0, 0xB2, 7, 0, le=256)),
        ("00B207000B", p.Command(0, 0xB2, 7, 0, le=11)),
        ("00A4020002EF05", p.Command(0, 0xA4, 2, 0, H("EF05"))),
        ("00A4020002EF0500", p.Command(0, 0xA4, 2, 0, H("EF05"), 256)),
        ("00840000", p.Command(0, 0x84, 0, 0)),
    ],
)
def test_parse_command_golden(apdu: str, cmd: p.Command) -> None:
    assert p.parse_command(H(apdu)) == cmd


@pytest.mark.parametrize("apdu", ["", "00B2", "00A4020002EF", "00A4020003EF05", "00A402000002"])
def test_parse_command_rejects_malformed(apdu: str) -> None:
    with pytest.raises(p.ProtocolError):
        p.parse_command(H(apdu))


# --- replies, TLV, fields --------------------------------------------------------------------


def test_parse_response_and_messages() -> None:
    assert p.parse_response(H("0703414243" "9000")) == p.Response(H("0703414243"), 0x9000)
    assert p.parse_response(H("6A82")).message == "file not found"
    assert p.Response(b"", 0x6111).message == "17 bytes waiting"
    assert p.Response(b"", 0x6C0B).message == "wrong Le, expected 11"
    assert p.Response(b"", 0x6F00).message == "status 6F00"
    with pytest.raises(p.ProtocolError):
        p.parse_response(b"\x90")


def test_tlv_golden() -> None:
    assert p.encode_tlv(0x07, b"M12345678") == H("07094D3132333435363738")
    assert p.parse_tlv(H("07094D3132333435363738")) == [(0x07, b"M12345678")]
    assert p.parse_tlv(H("0A01310B0101")) == [(0x0A, b"1"), (0x0B, b"\x01")]
    assert p.parse_tlv(H("0A0131FFFFFF")) == [(0x0A, b"1")]  # FF padding after the record
    long = bytes(200)
    assert p.encode_tlv(0x04, long) == H("0481C8") + long  # long form: 81 then the length
    assert p.parse_tlv(p.encode_tlv(0x04, long)) == [(0x04, long)]
    assert p.record_value(H("0A0131"), 0x0A) == b"1"


@pytest.mark.parametrize("data", ["07", "0709414243", "0481", "0482000102", "04FF00"])
def test_tlv_rejects_truncated_or_unsupported(data: str) -> None:
    with pytest.raises(p.ProtocolError):
        p.parse_tlv(H(data))


def test_record_value_must_be_the_record_asked_for() -> None:
    with pytest.raises(p.ProtocolError, match="came back as 08"):
        p.record_value(H("080131"), 0x09)
    with pytest.raises(p.ProtocolError, match="empty"):
        p.record_value(b"", 0x09)


@pytest.mark.parametrize(
    ("kind", "value", "size", "raw"),
    [
        ("date", "19900307", 4, "19900307"),  # BCD
        ("bcd", "440304", 3, "440304"),
        ("bcd", "4403", 3, "4403FF"),  # birthplace padded with FF
        ("bcd", "01", 1, "01"),  # nation
        ("gbk", "张示例", 8, "D5C5CABEC0FD0000"),  # GBK, 00-padded
        ("text", "3.00", 4, "332E3030"),
        ("hex", "440300D1", 4, "440300D1"),
        ("digit", "1", 1, "31"),
    ],
)
def test_field_codecs_golden(kind: str, value: str, size: int, raw: str) -> None:
    assert encode_field(kind, value, size) == H(raw)
    assert decode_field(kind, H(raw), "f") == value


def test_field_decoding_accepts_both_sex_encodings_and_rejects_junk() -> None:
    assert decode_field("digit", b"\x02", "sex") == "2"  # BCD/binary rather than ASCII
    assert decode_field("date", H("00000000"), "d") == ""  # unset date
    assert decode_field("gbk", "𠀀".encode("gb18030") + bytes(4), "name") == "𠀀"  # rare char
    for kind, raw in [("date", "19901307"), ("date", "1990A307"), ("bcd", "4F03"),
                      ("text", "41FF42"), ("digit", "3132"), ("gbk", "FF41"), ("date", "1990")]:
        with pytest.raises(p.CardError):
            decode_field(kind, H(raw), "field")
    with pytest.raises(ValueError):
        encode_field("text", "1234567890", 9)


def test_rare_name_character_round_trips_through_gb18030() -> None:
    raw = encode_field("gbk", "王𠀀", 30)  # GBK lacks U+20000: the card holds 4 GB18030 bytes
    assert len(raw) == 30 and decode_field("gbk", raw, "name") == "王𠀀"


# --- the card's data ---------------------------------------------------------------------


def test_records_round_trip() -> None:
    for card in (CARD, OTHER):
        assert p.card_from_records(p.card_to_records(card)) == card


def test_missing_or_bad_record_names_the_field_not_the_value() -> None:
    records = p.card_to_records(CARD)
    del records[0x09]
    with pytest.raises(p.CardError, match=r"record 09 \(name\) is missing"):
        p.card_from_records(records)
    records = p.card_to_records(CARD) | {0x0D: H("19901399")}
    with pytest.raises(p.CardError, match="birth_date") as exc:
        p.card_from_records(records)
    assert "1990" not in str(exc.value)


def test_repr_and_masking_hide_the_person() -> None:
    text = repr(CARD) + str(CARD) + repr([CARD])
    for secret in (CARD.name, CARD.ssn, CARD.card_number, CARD.birth_date, CARD.card_id):
        assert secret not in text
    masked = CARD.as_dict()
    assert masked["name"] == "张*例" and masked["ssn"] == "440304********1234"
    assert masked["card_number"] == "M*******8" and masked["birth_date"] == "1******7"
    assert masked["card_id"].startswith("440300") and "A1B2" not in masked["card_id"]
    assert masked["region"] == "440300" and masked["expiry_date"] == "20330915"
    assert CARD.as_dict(show_personal=True)["name"] == "张示例"
    assert mask("欧阳", "name") == "欧*" and mask("", "name") == ""


# --- the T=0 exchange and the read sequence ----------------------------------------------------


def scripted(*replies: str):
    sent: list[bytes] = []
    queue = [H(r) for r in replies]

    def transmit(apdu: bytes) -> bytes:
        sent.append(apdu)
        return queue.pop(0)

    return transmit, sent


def test_exchange_61xx_fetches_with_get_response() -> None:
    transmit, sent = scripted("6104", "0102" "6102", "0304" "9000")
    reply = p.exchange(transmit, p.select_by_name())
    assert reply == p.Response(H("01020304"), 0x9000)
    assert sent[1:] == [H("00C0000004"), H("00C0000002")]


def test_exchange_6cxx_resends_with_the_right_le() -> None:
    transmit, sent = scripted("6C0B", "07094D3132333435363738" "9000")
    assert p.exchange(transmit, p.read_record(0x07, 0)).data == H("07094D3132333435363738")
    assert sent == [H("00B2070000"), H("00B207000B")]


def test_exchange_gives_up_on_a_card_that_never_settles() -> None:
    with pytest.raises(p.ProtocolError, match="after 16 rounds"):
        p.exchange(lambda _apdu: H("6C05"), p.read_record(1, 1))


@pytest.mark.parametrize(
    "behaviour",
    [CardBehaviour(), CardBehaviour(select_61xx=False),
     CardBehaviour(records_via_get_response=True)],
    ids=["select-61xx", "plain", "records-61xx"],
)
def test_read_card_against_the_simulated_card(behaviour: CardBehaviour) -> None:
    sim = SimulatedCard(OTHER, behaviour)
    assert p.read_card(sim.process) == OTHER
    sent = sim.commands
    assert sent[0] == p.select_by_name()
    if behaviour.select_61xx:
        assert sent[1][:4] == H("00C00000")  # GET RESPONSE for the FCI
    assert p.read_record(0x04, 0) in sent  # the variable-length record: Le 0 ...
    if not behaviour.records_via_get_response:
        assert p.read_record(0x04, 2 + 6) in sent  # ... then the length the card named (6Cxx)


def test_read_card_of_a_card_without_the_application() -> None:
    with pytest.raises(p.CardError, match=r"not a social security card: .*file not found"):
        p.read_card(lambda _apdu: H("6A82"))
