"""The simulated SAM module answers as the spec says, directly and over its pty."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import serial

from drivers.idcard import protocol as p
from drivers.idcard.protocol import FrameBuffer, IdCard, decode_read_reply, decode_reply
from drivers.idcard.simulator import IdCardSimulator

CARD = IdCard("王五", "1", "01", "19851111", "四川省成都市武侯区", "510107198511112036",
              "成都市公安局武侯分局", "20160101", "20360101")  # fmt: skip
NO_CARD = bytes.fromhex("AA AA AA 96 69 00 04 00 00 80 84")
FIND_OK = bytes.fromhex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
READ_FAILED = bytes.fromhex("AA AA AA 96 69 00 04 00 00 41 45")


def cmd(command: tuple[int, int]) -> bytes:
    return p.encode_command(*command)


def test_card_sequence() -> None:
    sim = IdCardSimulator()
    assert sim.respond(cmd(p.FIND_CARD)) == NO_CARD
    assert decode_reply(sim.respond(cmd(p.SELECT_CARD))).sw3 == 0x81
    sim.insert(CARD)
    assert decode_reply(sim.respond(cmd(p.SELECT_CARD))).sw3 == 0x81  # select needs find
    assert sim.respond(cmd(p.READ_BASE)) == READ_FAILED  # read needs select
    assert sim.respond(cmd(p.FIND_CARD)) == FIND_OK
    assert sim.respond(cmd(p.SELECT_CARD)) == p.encode_reply(0x90)
    reply = sim.respond(cmd(p.READ_BASE))
    assert len(reply) == 1295
    assert decode_read_reply(decode_reply(reply)) == CARD
    sim.remove()
    assert sim.respond(cmd(p.FIND_CARD)) == NO_CARD
    assert sim.respond(cmd(p.READ_BASE)) == READ_FAILED


def test_sam_commands_and_errors() -> None:
    sim = IdCardSimulator(sam_id=bytes(range(16)))
    assert sim.respond(cmd(p.SAM_RESET)) == p.encode_reply(0x90)
    assert sim.respond(cmd(p.SAM_STATUS)) == p.encode_reply(0x90)
    assert decode_reply(sim.respond(cmd(p.SAM_ID))) == p.Reply(0, 0, 0x90, bytes(range(16)))
    assert decode_reply(sim.respond(p.encode_command(0x77, 0x01))).sw3 == 0x21
    bad_chk = bytes.fromhex("AA AA AA 96 69 00 03 20 01 23")
    assert decode_reply(sim.respond(bad_chk)).sw3 == 0x10


def test_insert_refuses_a_card_that_cannot_be_encoded() -> None:
    with pytest.raises(p.ProtocolError):
        IdCardSimulator().insert(IdCard("名" * 16, "1", "01", "19851111", "", "", "", "", ""))


@pytest.fixture
def wire() -> Iterator[tuple[IdCardSimulator, serial.Serial]]:
    sim = IdCardSimulator(CARD)
    sim.start()
    port = serial.Serial(sim.port, 115200, timeout=0.05)
    yield sim, port
    port.close()
    sim.stop()


def read_frames(port: serial.Serial, count: int, timeout: float = 5.0) -> list[bytes]:
    buf, frames = FrameBuffer(), []
    deadline = time.monotonic() + timeout
    while len(frames) < count and time.monotonic() < deadline:
        frames += buf.feed(port.read(port.in_waiting or 1))
    return frames


def test_over_the_pty_garbage_and_bad_checksum(wire: tuple[IdCardSimulator, serial.Serial]) -> None:
    sim, port = wire
    bad_chk = bytes.fromhex("AA AA AA 96 69 00 03 20 01 23")
    port.write(b"\x00\xaa\x55" + bad_chk + b"\xaa\xaa" + cmd(p.FIND_CARD))
    assert read_frames(port, 2) == [p.encode_reply(0x10), FIND_OK]
    assert sim.commands_received == [bad_chk, cmd(p.FIND_CARD)]


def test_over_the_pty_half_command_is_forgotten(
    wire: tuple[IdCardSimulator, serial.Serial],
) -> None:
    sim, port = wire
    port.write(cmd(p.FIND_CARD)[:6])  # LEN never completes
    deadline = time.monotonic() + 5.0
    while sim.partial_dropped == 0:  # the simulator's inter-byte timeout
        assert time.monotonic() < deadline
        port.read(1)
    port.write(cmd(p.FIND_CARD))
    assert read_frames(port, 1) == [FIND_OK]


def test_paced_reply_takes_wire_time() -> None:
    sim = IdCardSimulator(CARD, baud=115200)
    sim.start()
    try:
        with serial.Serial(sim.port, 115200, timeout=0.05) as port:
            for command in (p.FIND_CARD, p.SELECT_CARD):
                port.write(cmd(command))
                assert len(read_frames(port, 1)) == 1
            start = time.monotonic()
            port.write(cmd(p.READ_BASE))
            [frame] = read_frames(port, 1)
            assert time.monotonic() - start >= 1295 * 10 / 115200
            assert decode_read_reply(decode_reply(frame)) == CARD
    finally:
        sim.stop()


def read_sequence(sim: IdCardSimulator) -> bytes:
    sim.respond(cmd(p.FIND_CARD))
    sim.respond(cmd(p.SELECT_CARD))
    return sim.respond(cmd(p.READ_BASE))


def test_forced_status_codes() -> None:
    sim = IdCardSimulator(CARD)
    sim.force(p.SAM_STATUS, 0x60)
    sim.force(p.FIND_CARD, 0x66)
    assert sim.respond(cmd(p.SAM_STATUS)) == p.encode_reply(0x60)
    assert sim.respond(cmd(p.FIND_CARD)) == p.encode_reply(0x66)
    sim.force(p.SAM_STATUS, None)
    sim.force(p.FIND_CARD, None)
    assert sim.respond(cmd(p.SAM_STATUS)) == p.encode_reply(0x90)
    assert sim.respond(cmd(p.FIND_CARD)) == FIND_OK


def test_the_card_leaves_the_field_during_a_read() -> None:
    sim = IdCardSimulator(CARD)
    full = p.encode_read_reply(CARD)
    sim.fail_next_read("cut", after=600)
    assert read_sequence(sim) == full[:600]
    assert not sim.has_card and sim.respond(cmd(p.FIND_CARD)) == NO_CARD

    sim.insert(CARD)
    sim.fail_next_read("vanish")
    assert read_sequence(sim) == READ_FAILED
    assert not sim.has_card

    sim.insert(CARD)
    sim.fail_next_read("fail")
    assert read_sequence(sim) == READ_FAILED
    assert sim.has_card and read_sequence(sim) == full  # once only
    with pytest.raises(ValueError):
        sim.fail_next_read("explode")


def test_rate_switch_over_the_pty() -> None:
    with IdCardSimulator(CARD, baud=115200, pace=False) as sim, serial.Serial(
        sim.port, 115200, timeout=0.05
    ) as port:
        port.write(p.encode_command(*p.set_baud(19200)))
        assert read_frames(port, 1) == [p.encode_reply(0x90)]  # at the old rate
        assert sim.baud == 19200
        port.write(cmd(p.FIND_CARD))
        assert read_frames(port, 1, timeout=0.5) == []  # the driver is still at 115200
        port.baudrate = 19200
        port.write(cmd(p.FIND_CARD))
        assert read_frames(port, 1) == [FIND_OK]
    with pytest.raises(ValueError):
        IdCardSimulator(baud=4800)
