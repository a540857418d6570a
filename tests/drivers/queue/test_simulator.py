"""The simulated queue device answers as docs/queue-protocol.md says (handle() directly)."""

from __future__ import annotations

import pytest

from drivers.queue import protocol as q
from drivers.queue.protocol import Cmd, DeviceState, Flags, Frame, Status, Ticket
from drivers.queue.simulator import EVENT_TRIES, QueueSimulator

TAKE = bytes.fromhex("02 01 01 01 00 02 02 00 03 70 AF")
TICKET = bytes.fromhex("02 01 01 81 00 07 00 41 30 31 32 00 07 03 12 1E")


class Host:
    """Sends requests with fresh SEQs, as a driver does."""

    def __init__(self, sim: QueueSimulator, seq: int = 100) -> None:
        self.sim, self.seq = sim, seq

    def send(self, cmd: int, data: bytes = b"", addr: int = 1) -> Frame | None:
        self.seq = (self.seq + 1) % 256
        reply = self.sim.handle(q.encode(Frame(addr, self.seq, cmd, data)))
        return None if reply is None else q.decode(reply)

    def take(self, business: int, priority: int = 0) -> Frame:
        reply = self.send(Cmd.TAKE_TICKET, q.take_ticket(business, priority))
        assert reply is not None
        return reply


def test_the_spec_reply_comes_out_of_the_simulator() -> None:
    sim = QueueSimulator(prefixes={2: "A"})
    host = Host(sim)
    for _ in range(11):
        host.take(2)
    for ticket in ("A001", "A002", "A003", "A004"):
        assert host.send(Cmd.CALL, q.window_ticket(1, ticket)) == Frame(1, host.seq, 0x90, b"\0")
    assert sim.handle(TAKE) == TICKET  # the 12th ticket, 7 waiting ahead, byte for byte


def test_one_counter_and_one_line_per_business() -> None:
    sim = QueueSimulator()
    host = Host(sim)
    got = [q.decode_ticket(host.take(b)) for b in (1, 1, 2, 1)]
    assert got == [Ticket("A001", 0), Ticket("A002", 1), Ticket("B001", 0), Ticket("A003", 2)]
    assert q.decode_ticket(host.take(1, priority=1)) == Ticket("A004", 0)  # goes first
    assert q.decode_ticket(host.take(1, priority=1)) == Ticket("A005", 1)  # behind A004
    assert sim.waiting(1) == ["A004", "A005", "A001", "A002", "A003"]
    assert q.decode_state(host.send(Cmd.STATUS)) == DeviceState(Flags.NONE, 6)


def test_a_repeated_request_is_answered_again_not_done_again() -> None:
    sim = QueueSimulator()
    first = sim.handle(TAKE)
    assert sim.handle(TAKE) == first  # same SEQ, CMD, DATA: a retry
    assert sim.waiting(2) == ["B001"] and sim.repeats == 1 and len(sim.executed) == 1
    other_seq = q.encode(Frame(1, 2, Cmd.TAKE_TICKET, q.take_ticket(2)))
    assert q.decode_ticket(q.decode(sim.handle(other_seq))) == Ticket("B002", 1)
    # A new request with an old SEQ is new: a restarted host may reuse SEQs.
    reused = q.encode(Frame(1, 2, Cmd.TAKE_TICKET, q.take_ticket(1)))
    assert q.decode_ticket(q.decode(sim.handle(reused))) == Ticket("A001", 0)


def test_busy_and_crc_errors_are_not_remembered() -> None:
    sim = QueueSimulator()
    sim.busy = 1
    assert q.decode(sim.handle(TAKE)).status == Status.BUSY
    assert q.decode(sim.handle(TAKE)).status == Status.OK  # the same frame, now done
    bad = TAKE[:-1] + b"\x00"
    reply = q.decode(sim.handle(bad))
    assert (reply.seq, reply.cmd, reply.status) == (1, 0x81, Status.CRC_ERROR)
    assert sim.waiting(2) == ["B001"]


def test_lost_replies_and_requests() -> None:
    sim = QueueSimulator()
    sim.drop_replies = 1
    assert sim.handle(TAKE) is None and sim.waiting(2) == ["B001"]  # done, reply lost
    assert q.decode_ticket(q.decode(sim.handle(TAKE))) == Ticket("B001", 0)  # the retry
    sim.ignore_requests = 1
    ping = q.encode(Frame(1, 9, Cmd.PING))
    assert sim.handle(ping) is None and len(sim.executed) == 1  # never heard
    assert q.decode(sim.handle(ping)).status == Status.OK


def test_paper_and_faults() -> None:
    sim = QueueSimulator()
    host = Host(sim)
    sim.paper = "low"
    assert host.take(1).status == Status.OK
    assert q.decode_state(host.send(Cmd.STATUS)).flags == Flags.PAPER_LOW
    sim.paper = "out"
    assert host.take(1).status == Status.PAPER_OUT
    sim.faults = Flags.PRINTER_FAULT | Flags.VOICE_FAULT
    assert host.take(1).status == Status.DEVICE_FAULT
    state = q.decode_state(host.send(Cmd.STATUS))
    assert state.flags == Flags.PAPER_OUT | Flags.PRINTER_FAULT | Flags.VOICE_FAULT
    assert sim.waiting(1) == ["A001"]
    sim.faults, sim.paper = Flags.NONE, "ok"
    faulted = q.encode(Frame(1, 50, Cmd.TAKE_TICKET, q.take_ticket(1)))
    sim.faults = Flags.PRINTER_FAULT
    assert q.decode(sim.handle(faulted)).status == Status.DEVICE_FAULT
    sim.faults = Flags.NONE  # repaired: the same request is now carried out
    assert q.decode_ticket(q.decode(sim.handle(faulted))) == Ticket("A002", 1)


def test_windows_display_and_voice() -> None:
    sim = QueueSimulator()
    host = Host(sim)
    host.take(1)
    host.take(1)
    ok = Status.OK
    assert host.send(Cmd.RECALL, b"\x03").status == Status.BAD_PARAMETER  # nothing called yet
    assert host.send(Cmd.CALL, q.window_ticket(3, "A001")).status == ok
    assert host.send(Cmd.RECALL, b"\x03").status == ok
    assert sim.announced == ["请A001号到3号窗口"] * 2
    assert host.send(Cmd.SKIP, b"\x03").status == ok and sim.windows[3] is None
    assert host.send(Cmd.PAUSE, b"\x03").status == ok
    assert host.send(Cmd.CALL, q.window_ticket(3, "A002")).status == Status.BAD_PARAMETER
    assert host.send(Cmd.RESUME, b"\x03").status == ok
    assert host.send(Cmd.CALL, q.window_ticket(3, "A002")).status == ok
    assert host.send(Cmd.CALL, q.window_ticket(3, "A002")).status == Status.BAD_PARAMETER
    assert host.send(Cmd.SHOW_TEXT, q.show_text(1, 2, "暂停服务")).status == ok
    assert host.send(Cmd.SPEAK, q.encode_text("请A002号到3号窗口")).status == ok
    assert sim.displayed == [(1, 2, "暂停服务")] and sim.spoken == ["请A002号到3号窗口"]


@pytest.mark.parametrize(
    ("cmd", "data"),
    [
        (Cmd.TAKE_TICKET, b"\x09\x00"),  # no such business
        (Cmd.TAKE_TICKET, b"\x01"),
        (Cmd.CALL, b"\x01"),
        (Cmd.CALL, b"\x01A-1"),
        (Cmd.SHOW_TEXT, b"\x01\x00\xff\xff"),  # not GB18030
        (Cmd.PAUSE, b""),
        (0x77, b""),
    ],
)
def test_bad_parameters(cmd: int, data: bytes) -> None:
    reply = Host(QueueSimulator()).send(cmd, data)
    assert reply is not None and reply.status == Status.BAD_PARAMETER


def test_frames_for_another_address_are_not_answered() -> None:
    sim = QueueSimulator(addr=5)
    assert Host(sim).send(Cmd.PING, addr=1) is None
    assert Host(sim).send(Cmd.PING, addr=5) is not None


def test_events_are_sent_until_acknowledged() -> None:
    sim = QueueSimulator()
    sim.press_key(2, q.Key.CALL_NEXT)
    sent = sim.on_tick(0.0)
    assert sent is not None and q.decode(sent) == Frame(1, 0, Cmd.KEY_EVENT, b"\x02\x01")
    assert sim.on_tick(0.1) is None  # within the retry time
    assert sim.on_tick(0.4) == sent  # retried, same SEQ
    sim.drop_acks = 1
    assert sim.handle(q.encode(q.decode(sent).reply(Status.OK))) is None
    assert sim.on_tick(0.8) == sent  # that acknowledgement was lost
    sim.handle(q.encode(q.decode(sent).reply(Status.OK)))
    assert sim.on_tick(5.0) is None and sim.events_lost == 0

    sim.rate(2, 5)
    sends = [sim.on_tick(t) for t in (10.0, 10.4, 10.8, 11.2, 11.6)]
    assert len([s for s in sends if s]) == EVENT_TRIES and sends[-1] is None
    assert sim.events_lost == 1
