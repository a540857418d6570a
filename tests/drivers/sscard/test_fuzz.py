"""Property tests: hostile bytes from a card reach the driver only as CardError, and end."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.sscard import protocol as p
from drivers.sscard.simulator import CardBehaviour, SimulatedCard
from drivers.sscard.vpcd import FrameReader, frame
from tests.drivers.sscard.cards import CARD

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SW_BYTES = st.sampled_from([b"\x90\x00", b"\x61\x05", b"\x61\x00", b"\x6c\x0b", b"\x6c\x00",
                            b"\x6a\x82", b"\x6a\x83", b"\x67\x00"])
REPLIES = st.one_of(st.binary(max_size=40), st.tuples(st.binary(max_size=34), SW_BYTES).map(
    lambda t: t[0] + t[1]))


@FUZZ
@given(st.binary(max_size=300))
def test_tlv_and_reply_parsers_raise_only_protocol_error(data: bytes) -> None:
    for parse in (p.parse_tlv, p.parse_response, p.parse_command):
        with contextlib.suppress(p.ProtocolError):
            parse(data)


@FUZZ
@given(st.dictionaries(st.integers(0, 0x0F), st.binary(max_size=40), max_size=16))
def test_random_record_values_raise_only_card_error(records: dict[int, bytes]) -> None:
    try:
        card = p.card_from_records(records)
    except p.CardError:
        return
    assert len(card.ssn) == 18 and card.name


@FUZZ
@given(st.lists(REPLIES, min_size=1, max_size=40))
def test_random_card_replies_end_in_a_card_or_card_error(replies: list[bytes]) -> None:
    calls = 0

    def transmit(_apdu: bytes) -> bytes:
        nonlocal calls
        calls += 1
        return replies[calls % len(replies)]

    with contextlib.suppress(p.CardError):
        p.read_card(transmit)
    # Every command settles within MAX_T0_ROUNDS: 3 SELECTs + 13 records at most.
    assert calls <= 16 * p.MAX_T0_ROUNDS


@FUZZ
@given(st.data())
def test_mutated_card_replies_raise_only_card_error(data: st.DataObject) -> None:
    sim = SimulatedCard(CARD, CardBehaviour(select_61xx=data.draw(st.booleans())))

    def transmit(apdu: bytes) -> bytes:
        reply = bytearray(sim.process(apdu))
        if data.draw(st.integers(0, 5)) == 0 and reply:  # now and then, one byte goes wrong
            i = data.draw(st.integers(0, len(reply) - 1))
            op = data.draw(st.sampled_from(["flip", "drop", "cut"]))
            if op == "flip":
                reply[i] ^= data.draw(st.integers(1, 255))
            elif op == "drop":
                del reply[i]
            else:
                del reply[i:]
        return bytes(reply)

    try:
        card = p.read_card(transmit)
    except p.CardError:
        return
    assert isinstance(card, p.SocialSecurityCard)


@FUZZ
@given(st.lists(st.binary(min_size=0, max_size=40), max_size=20))
def test_simulated_card_answers_every_apdu_with_a_status_word(apdus: list[bytes]) -> None:
    sim = SimulatedCard(CARD, CardBehaviour(records_via_get_response=True))
    for apdu in [p.select_by_name(), p.select_file(p.EF06), *apdus]:
        reply = sim.process(apdu)
        assert len(reply) >= 2


@FUZZ
@given(st.lists(st.binary(max_size=300), max_size=6), st.lists(st.integers(0, 2000), max_size=6))
def test_vpcd_frames_split_the_same_in_any_chunks(messages: list[bytes], cuts: list[int]) -> None:
    stream = b"".join(frame(m) for m in messages)
    reader, got, start = FrameReader(), [], 0
    for cut in sorted(c % (len(stream) + 1) for c in cuts):
        got += reader.feed(stream[start:cut])
        start = cut
    assert got + reader.feed(stream[start:]) == messages
