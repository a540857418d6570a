"""The supervisor when a reader vanishes under a live context (a USB reader pulled out).

pcscd with vsmartcard-vpcd cannot produce this (its readers live as long as the
daemon), so a scripted stand-in for pyscard's ``scard`` plays pcsc-lite's part here:
the reader's state turns UNKNOWN, the PnP pseudo reader reports the change. The
card behind it is still the project's simulated card.
"""

from __future__ import annotations

import threading

from smartcard import scard

from drivers.device import DeviceState
from drivers.sscard.reader import PNP, SocialSecurityCardReader
from drivers.sscard.simulator import SimulatedCard
from tests.drivers.sscard.cards import CARD
from tests.drivers.sscard.test_reader_pcscd import Events


class ScriptedPcsc:
    """Just enough of pcsc-lite: one reader that can come and go, one card."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.readers = ["USB Reader 00 00"]
        self.card: SimulatedCard | None = None
        self.events = 0  # pcsc-lite's per-reader event counter
        self.version = 0  # bumps when readers come or go
        self._cancel = False

    def change(self, **what: object) -> None:
        with self.cond:
            for name, value in what.items():
                setattr(self, name, value)
            if "readers" in what:
                self.version += 1
            if "card" in what:
                self.events += 1
            self.cond.notify_all()

    def SCardEstablishContext(self, _scope):
        return 0, 1

    def SCardReleaseContext(self, _ctx):
        return 0

    def SCardCancel(self, _ctx):
        with self.cond:
            self._cancel = True
            self.cond.notify_all()
        return 0

    def SCardListReaders(self, _ctx, _groups):
        return (0, list(self.readers)) if self.readers else (0x8010002E, [])

    def _state(self, name: str, current: int, version: int) -> int:
        if name == PNP:
            return scard.SCARD_STATE_CHANGED if self.version != version else 0
        if name not in self.readers:
            return scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_CHANGED
        bits = scard.SCARD_STATE_PRESENT if self.card else scard.SCARD_STATE_EMPTY
        state = bits | (self.events << 16)
        return state | (scard.SCARD_STATE_CHANGED if state != current else 0)

    def SCardGetStatusChange(self, _ctx, timeout_ms, states):
        with self.cond:
            version = self.version

            def result():
                return [(n, self._state(n, cur, version), []) for n, cur in states]

            def changed() -> bool:
                return self._cancel or any(e & scard.SCARD_STATE_CHANGED for _n, e, _a in result())

            done = self.cond.wait_for(changed, timeout_ms / 1000)
            if self._cancel:
                self._cancel = False
                return 0x80100002, states
            return (0 if done else 0x8010000A), result()

    def SCardConnect(self, _ctx, reader, _share, _protocols):
        if reader not in self.readers or self.card is None:
            return 0x8010000C, 0, 0
        return 0, 7, scard.SCARD_PROTOCOL_T0

    def SCardTransmit(self, _handle, _proto, apdu):
        card = self.card
        return (0, list(card.process(bytes(apdu)))) if card else (0x80100069, [])

    def SCardDisconnect(self, _handle, _disposition):
        return 0


def test_reader_pulled_out_and_plugged_back_in() -> None:
    pcsc, events = ScriptedPcsc(), Events()
    reader = SocialSecurityCardReader(
        "USB Reader", on_card=lambda c: events.add("card", c),
        on_removed=lambda: events.add("removed"), on_status=lambda s: events.add("status", s),
        pcsc=pcsc,
    )
    reader.start()
    try:
        events.wait_state(DeviceState.ONLINE)
        pcsc.change(card=SimulatedCard(CARD))
        events.wait_for("the card", lambda: events.cards() == [CARD])
        pcsc.change(readers=[])  # the reader is unplugged, with the card in it
        events.wait_state(DeviceState.NO_DEVICE, "reader 'USB Reader' not found")
        assert events.count("removed") == 1
        pcsc.change(readers=["USB Reader 00 00"])  # and plugged back in
        events.wait_for("the card again", lambda: events.cards() == [CARD, CARD])
        events.wait_state(DeviceState.ONLINE, "")
    finally:
        reader.stop()
    assert reader.status.state is DeviceState.ONLINE


def test_a_subscriber_that_raises_does_not_stop_card_reading(caplog) -> None:
    pcsc, events = ScriptedPcsc(), Events()

    def on_card(card) -> None:
        events.add("card", card)
        if len(events.cards()) == 1:
            raise ValueError(f"bug in the app with {card.name}")  # a message with a name in it

    reader = SocialSecurityCardReader(None, on_card=on_card, pcsc=pcsc,
                                      on_status=lambda s: events.add("status", s))
    reader.start()
    try:
        events.wait_state(DeviceState.ONLINE)
        pcsc.change(card=SimulatedCard(CARD))
        events.wait_for("the card", lambda: len(events.cards()) == 1)
        pcsc.change(card=None)
        pcsc.change(card=SimulatedCard(CARD))
        events.wait_for("the next card", lambda: len(events.cards()) == 2)
    finally:
        reader.stop()
    assert "on_card callback raised ValueError" in caplog.text
    assert CARD.name not in caplog.text
