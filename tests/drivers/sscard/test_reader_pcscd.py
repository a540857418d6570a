"""The reader against the real pcscd + vsmartcard-vpcd, with the project's virtual card.

Each test starts its own pcscd by PID and stops it. pcscd that cannot start fails
the test (never a skip). Waits are on events with generous timeouts: pcscd polls the
virtual reader a few times a second, slower on a loaded machine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from smartcard import scard

from drivers.device import DeviceState, DeviceStatus
from drivers.sscard import protocol as p
from drivers.sscard.reader import SocialSecurityCardReader
from drivers.sscard.simulator import SimulatedCard
from drivers.sscard.vpcd import VirtualCard
from tests.drivers.sscard.cards import CARD, OTHER
from tests.helpers.pcscd import Pcscd

WAIT = 30.0


class Events:
    """Everything the reader reported, in order, with a way to wait for what comes next."""

    def __init__(self) -> None:
        self.log: list[tuple[str, object]] = []
        self._cond = threading.Condition()
        self.hold_cards = threading.Event()  # set: on_card blocks until released
        self.release = threading.Event()

    def add(self, kind: str, value: object = None) -> None:
        with self._cond:
            self.log.append((kind, value))
            self._cond.notify_all()
        if kind == "card" and self.hold_cards.is_set():
            assert self.release.wait(WAIT), "test never released on_card"

    def wait_for(self, what: str, pred: Callable[[], bool], timeout: float = WAIT) -> None:
        with self._cond:
            assert self._cond.wait_for(pred, timeout), f"timed out waiting for {what}: {self.log}"

    def cards(self) -> list[p.SocialSecurityCard]:
        return [v for k, v in self.log if k == "card"]

    def count(self, kind: str) -> int:
        return sum(1 for k, _ in self.log if k == kind)

    def states(self) -> list[DeviceState]:
        return [v.state for k, v in self.log if k == "status"]

    def last_status(self) -> DeviceStatus | None:
        statuses = [v for k, v in self.log if k == "status"]
        return statuses[-1] if statuses else None

    def wait_state(self, state: DeviceState, detail: str | None = None) -> None:
        def seen() -> bool:
            last = self.last_status()
            return last is not None and last.state is state and detail in (None, last.detail)
        self.wait_for(f"state {state.value} {detail or ''}", seen)


@pytest.fixture
def pcscd(tmp_path: Path) -> Iterator[Pcscd]:
    daemon = Pcscd(tmp_path)
    try:
        yield daemon.start()
    finally:
        daemon.stop()


@pytest.fixture
def events() -> Iterator[Events]:
    ev = Events()
    yield ev
    ev.release.set()


def make_reader(events: Events, name: str | None = "Kiosk Test PCD") -> SocialSecurityCardReader:
    return SocialSecurityCardReader(
        name,
        on_card=lambda c: events.add("card", c),
        on_removed=lambda: events.add("removed"),
        on_status=lambda s: events.add("status", s),
        backoff=(0.1, 1.0),
    )


@pytest.fixture
def reader(events: Events, pcscd: Pcscd) -> Iterator[SocialSecurityCardReader]:
    r = make_reader(events)
    r.start()
    events.wait_state(DeviceState.ONLINE)
    yield r
    r.stop()


def card_in(pcscd: Pcscd, card: p.SocialSecurityCard = CARD, **kw) -> VirtualCard:
    return VirtualCard(SimulatedCard(card, **kw), port=pcscd.port)


def pcscd_sees(pcscd: Pcscd, present: bool) -> None:
    """Block until pcscd itself reports the card present/absent (a second, independent client)."""
    hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hr == 0
    try:
        state = scard.SCARD_STATE_UNAWARE
        for _ in range(int(WAIT * 4)):
            hr, states = scard.SCardGetStatusChange(ctx, 250, [(pcscd.reader, state)])
            state = states[0][1] & ~scard.SCARD_STATE_CHANGED
            if bool(state & scard.SCARD_STATE_PRESENT) == present:
                return
        raise AssertionError(f"pcscd never saw the card {'in' if present else 'out'}")
    finally:
        scard.SCardReleaseContext(ctx)


def test_insert_read_remove_through_pcscd(pcscd, events, reader) -> None:
    vc = card_in(pcscd)
    vc.insert()
    events.wait_for("the card", lambda: events.cards())
    assert events.cards() == [CARD]
    assert DeviceState.BUSY in events.states()  # "reading card" on the way
    events.wait_state(DeviceState.ONLINE, "")
    sent = vc.card.commands
    assert sent[0] == p.select_by_name() and sent[1] == p.get_response(0x13)  # T=0: 61 13 FCI
    assert p.read_record(0x04, 0) in sent and p.read_record(0x04, 14) in sent  # T=0: 6C 0E

    vc.remove()
    events.wait_for("removal", lambda: events.count("removed") == 1)
    vc.insert()  # the same card again is a new presence: read again
    events.wait_for("second read", lambda: len(events.cards()) == 2)
    vc.remove()
    events.wait_for("second removal", lambda: events.count("removed") == 2)
    assert reader.status.state is DeviceState.ONLINE


def test_card_left_in_the_reader_is_read_at_start_and_again_on_rearm(pcscd, events) -> None:
    with card_in(pcscd, OTHER, behaviour=None):
        pcscd_sees(pcscd, present=True)
        r = make_reader(events, name=None)  # no name: every reader pcscd has
        r.start()
        try:
            events.wait_for("the card", lambda: events.cards() == [OTHER])
            r.rearm()  # a session starts with the card still in
            events.wait_for("re-read", lambda: events.cards() == [OTHER, OTHER])
            assert events.count("removed") == 0
        finally:
            r.stop()


def test_quick_remove_and_reinsert_between_two_polls_is_seen(pcscd, events, reader) -> None:
    first = card_in(pcscd, CARD)
    events.hold_cards.set()  # the supervisor is busy with the first card ...
    first.insert()
    events.wait_for("the first card", lambda: events.cards() == [CARD])
    first.remove()  # ... while the citizen swaps cards: pcscd sees both events,
    pcscd_sees(pcscd, present=False)
    second = card_in(pcscd, OTHER)
    second.insert()
    pcscd_sees(pcscd, present=True)  # the reader's next poll sees "present" again, count +2
    events.hold_cards.clear()
    events.release.set()
    events.wait_for("the second card", lambda: events.cards() == [CARD, OTHER])
    kinds = [k for k, _ in events.log if k in ("card", "removed")]
    assert kinds == ["card", "removed", "card"]
    second.remove()


def test_pcscd_killed_and_restarted(pcscd, events, reader) -> None:
    with card_in(pcscd) as vc:
        events.wait_for("the card", lambda: events.cards() == [CARD])
        pcscd.kill()
        events.wait_state(DeviceState.OFFLINE)
        assert events.count("removed") == 1  # whatever was read is no longer vouched for
        pcscd.start()
        # The card stayed in the reader: it reconnects, the reader comes back, reads it again.
        events.wait_for("the card again", lambda: events.cards() == [CARD, CARD])
        events.wait_state(DeviceState.ONLINE, "")
        assert vc.links >= 2
    events.wait_for("removal", lambda: events.count("removed") == 2)
    offline = [v for k, v in events.log if k == "status" and v.state is DeviceState.OFFLINE]
    assert "PC/SC service" in offline[0].detail and offline[0].action.value == "maintenance"
    assert offline[0].detail_zh == "读卡服务（pcscd）不可用"  # for staff and the attract screen


def test_started_before_pcscd_comes_up(tmp_path: Path, events) -> None:
    daemon = Pcscd(tmp_path)
    r = make_reader(events)
    r.start()
    try:
        events.wait_state(DeviceState.OFFLINE)
        daemon.start()
        events.wait_state(DeviceState.ONLINE)
        with VirtualCard(SimulatedCard(CARD), port=daemon.port):
            events.wait_for("the card", lambda: events.cards() == [CARD])
    finally:
        r.stop()
        daemon.stop()


def test_reader_disappears_and_comes_back(pcscd, events, reader) -> None:
    pcscd.restart(with_reader=False)  # the daemon is back, the reader is not
    events.wait_state(DeviceState.NO_DEVICE, "reader 'Kiosk Test PCD' not found")
    assert events.last_status().detail_zh == "未找到指定的社保卡读卡器"
    pcscd.restart(with_reader=True)
    events.wait_state(DeviceState.ONLINE)
    with card_in(pcscd):
        events.wait_for("the card", lambda: events.cards() == [CARD])
    states = events.states()
    assert states.index(DeviceState.NO_DEVICE) < len(states) - 1 - states[::-1].index(
        DeviceState.ONLINE)


class _NotASocialSecurityCard(SimulatedCard):
    def process(self, apdu: bytes) -> bytes:
        return b"\x6a\x82"  # a bank card: no SSSE application


def test_a_foreign_card_is_reported_unreadable_not_delivered(pcscd, events, reader) -> None:
    with VirtualCard(_NotASocialSecurityCard(CARD), port=pcscd.port):
        events.wait_state(DeviceState.ONLINE, "card unreadable")
    events.wait_state(DeviceState.ONLINE, "")  # taken out: the note goes
    assert events.cards() == [] and events.count("removed") == 0


class _PulledMidRead(SimulatedCard):
    """Stalls on the name record until the test pulls the card."""

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.reached = threading.Event()
        self.link: VirtualCard | None = None

    def process(self, apdu: bytes) -> bytes:
        if apdu[:3] == p.read_record(0x09, 0)[:3] and self.link and not self.reached.is_set():
            self.reached.set()
            assert self.link.removing.wait(WAIT)
        return super().process(apdu)


def test_card_pulled_mid_read_is_not_delivered(pcscd, events, reader) -> None:
    card = _PulledMidRead(CARD)
    vc = VirtualCard(card, port=pcscd.port)
    card.link = vc
    vc.insert()
    assert card.reached.wait(WAIT)
    vc.remove()
    events.wait_state(DeviceState.ONLINE, "")
    pcscd_sees(pcscd, present=False)
    with card_in(pcscd, OTHER):  # the next card reads normally
        events.wait_for("the next card", lambda: events.cards() == [OTHER])
    assert events.count("removed") == 0 or events.log.index(("removed", None)) > 0
