"""The social security card reader: PC/SC through pcscd, watched by a supervisor of our own.

pyscard's CardMonitor thread dies on SCARD_E_NO_SERVICE, and a pcscd restart breaks
every existing context, so this loop does it by hand: SCardGetStatusChange with a
~1 s timeout, each returned state fed back as the next current state, the event
counter in its upper 16 bits compared to catch a remove-and-reinsert that happened
between two calls, and the context re-established with backoff when the service
goes away. Callbacks run on the supervisor thread; nothing personal is logged.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from smartcard import scard

from common.events import Topic
from drivers.device import Action, DeviceState, DeviceStatus
from drivers.driver import Driver
from drivers.events import NO_DETAIL, Backoff, Detail
from drivers.sscard import protocol as p

log = logging.getLogger(__name__)

DEVICE = "sscard"
PNP = "\\\\?PnP?\\Notification"  # pcsc-lite's pseudo reader: changes when readers come or go
_U32 = 0xFFFFFFFF
# The service is gone or restarted under us: drop the context, re-establish with backoff.
SERVICE_LOST = frozenset({0x8010001D, 0x8010001E, 0x80100013, 0x80100003})  # NO_SERVICE,
# SERVICE_STOPPED, F_COMM_ERROR (pcscd restarted), INVALID_HANDLE (context from before)
CARD_GONE = frozenset({0x80100069, 0x8010000C, 0x80100068})  # removed, no card, reset
READER_GONE = frozenset({0x80100009, 0x80100017})  # unknown reader, reader unavailable
TIMEOUT, CANCELLED, NO_READERS = 0x8010000A, 0x80100002, 0x8010002E
READING = Detail("reading card", "正在读卡")
UNREADABLE = Detail("card unreadable", "无法读取此卡（不是社保卡？）")


class ServiceLost(p.CardError):
    """pcscd is not running, or was restarted under our context."""

    zh = "读卡服务（pcscd）不可用"


class CardGone(p.CardError):
    """The card left the reader (or the reader left) before the read finished."""


def _hr(code: int) -> int:
    return code & _U32


def _counter(state: int) -> int:
    return (state >> 16) & 0xFFFF


class SocialSecurityCardReader(Driver):
    thread_name = "sscard-reader"

    def __init__(
        self,
        reader: str | None = None,
        *,
        on_card: Callable[[p.SocialSecurityCard], None],
        on_removed: Callable[[], None] | None = None,
        on_status: Callable[[DeviceStatus], None] | None = None,
        poll_timeout: float = 1.0,
        backoff: tuple[float, float] = (0.25, 4.0),
        pcsc: Any = scard,
    ) -> None:
        super().__init__(DEVICE, on_status=on_status, log=log)
        self._want = reader  # a substring of the PC/SC reader name; None: every reader
        self.card_read: Topic[p.SocialSecurityCard] = Topic("on_card", logger=log)
        self.card_removed: Topic[None] = Topic("on_removed", logger=log)
        self.card_read.subscribe(on_card)
        if on_removed is not None:
            self.card_removed.subscribe(lambda _none: on_removed())
        self._timeout_ms = int(poll_timeout * 1000)
        self._backoff = Backoff(*backoff)
        self._pcsc = pcsc
        self._rearm = threading.Event()
        self._ctx: int | None = None
        self._ctx_lock = threading.Lock()
        self._seen: dict[str, bool] = {}  # reader -> its card was delivered (False: unreadable)

    def rearm(self) -> None:
        """A session starts: a card already in the reader is read and delivered again."""
        self._rearm.set()
        self._wake()

    def _wake(self) -> None:
        with self._ctx_lock:
            if self._ctx is not None:
                self._pcsc.SCardCancel(self._ctx)  # GetStatusChange returns CANCELLED at once

    def _set(
        self, state: DeviceState, detail: Detail = NO_DETAIL, action: Action = Action.NONE
    ) -> None:
        self._status.set(state, detail, action)

    # -- the supervisor ---------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._session()
                self._backoff.reset()
            except ServiceLost as exc:
                self._forget_cards()
                self._set(DeviceState.OFFLINE, Detail(str(exc), exc.zh), Action.MAINTENANCE)
                self._stop.wait(self._backoff.next())
            except Exception:  # a bug must not end card reading for the rest of the night
                log.exception("sscard supervisor failed; restarting it")
                self._stop.wait(self._backoff.cap)

    def _session(self) -> None:
        hr, ctx = self._pcsc.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if _hr(hr) != 0:
            raise ServiceLost(f"PC/SC service unavailable ({_hr(hr):08X})")
        with self._ctx_lock:
            self._ctx = ctx
        try:
            while not self._stop.is_set():
                readers = self._readers(ctx)
                if readers:
                    self._watch(ctx, readers)
                else:
                    self._forget_cards()
                    self._set(DeviceState.NO_DEVICE, self._no_reader(), Action.MAINTENANCE)
                    self._wait_for_readers(ctx)
        finally:
            with self._ctx_lock:
                self._ctx = None
            self._pcsc.SCardReleaseContext(ctx)

    def _no_reader(self) -> Detail:
        if self._want:
            return Detail(f"reader {self._want!r} not found", "未找到指定的社保卡读卡器")
        return Detail("no card reader", "未找到社保卡读卡器")

    def _readers(self, ctx: int) -> list[str]:
        hr, readers = self._pcsc.SCardListReaders(ctx, [])
        if _hr(hr) in SERVICE_LOST:
            raise ServiceLost(f"PC/SC service lost ({_hr(hr):08X})")
        if _hr(hr) != 0:
            return []  # NO_READERS_AVAILABLE
        return [r for r in readers if self._want is None or self._want in r]

    def _wait_for_readers(self, ctx: int) -> None:
        hr, _ = self._pcsc.SCardGetStatusChange(ctx, self._timeout_ms, [(PNP, 0)])
        if _hr(hr) in SERVICE_LOST:
            raise ServiceLost(f"PC/SC service lost ({_hr(hr):08X})")

    def _watch(self, ctx: int, readers: list[str]) -> None:
        """Follow the readers until one comes or goes (return) or the service is lost."""
        current = dict.fromkeys(readers, scard.SCARD_STATE_UNAWARE)
        pnp = 0
        self._set(DeviceState.ONLINE)
        while not self._stop.is_set():
            if self._rearm.is_set():  # checked before blocking: rearm() may have come mid-read
                self._rearm.clear()
                for name, state in current.items():
                    if state & scard.SCARD_STATE_PRESENT:
                        self._read(ctx, name)
            if self._stop.is_set():  # stop() may have come during a read: do not block again
                return
            query = [*current.items(), (PNP, pnp)]
            hr, states = self._pcsc.SCardGetStatusChange(ctx, self._timeout_ms, query)
            hr = _hr(hr)
            if hr in SERVICE_LOST:
                raise ServiceLost(f"PC/SC service lost ({hr:08X})")
            if hr in READER_GONE:
                return
            if hr not in (0, TIMEOUT, CANCELLED):
                raise ServiceLost(f"PC/SC service error ({hr:08X})")  # start over, as for a loss
            for name, event, _atr in states if hr != CANCELLED else []:
                if name == PNP:
                    if event & scard.SCARD_STATE_CHANGED:
                        return  # readers came or went: list them again
                    continue
                if event & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
                    return
                self._track(ctx, name, current[name], event)
                current[name] = event & ~scard.SCARD_STATE_CHANGED

    def _track(self, ctx: int, reader: str, old: int, new: int) -> None:
        """Act on one reader's new state: report a removal, read a new card."""
        present = bool(new & scard.SCARD_STATE_PRESENT) and not new & scard.SCARD_STATE_MUTE
        # Same "present" bits but a new count: the card left and one came back between calls.
        swapped = present and _counter(old) != 0 and _counter(new) != _counter(old)
        if reader in self._seen and (not present or swapped):
            delivered = self._seen.pop(reader)
            log.info("sscard: card removed")
            self._set(DeviceState.ONLINE)  # clears "card unreadable"
            if delivered:
                self.card_removed.publish(None)
        if present and reader not in self._seen:
            self._read(ctx, reader)

    def _forget_cards(self) -> None:
        delivered = any(self._seen.values())
        self._seen.clear()
        if delivered:
            self.card_removed.publish(None)

    def _read(self, ctx: int, reader: str) -> None:
        self._set(DeviceState.BUSY, READING)
        try:
            card = read_card_in(self._pcsc, ctx, reader)
        except ServiceLost:
            raise
        except CardGone:
            log.info("sscard: card left before it was read")
            return self._set(DeviceState.ONLINE)
        except p.CardError as exc:
            if not self._still_present(ctx, reader):  # a failed exchange as the card was pulled
                log.info("sscard: card left while it was read")
                return self._set(DeviceState.ONLINE)
            log.warning("sscard: card could not be read: %s", exc)  # messages name fields only
            self._seen[reader] = False  # one warning per card, not one per poll
            return self._set(DeviceState.ONLINE, UNREADABLE)
        self._seen[reader] = True
        self._set(DeviceState.ONLINE)
        log.info("sscard: card read")
        self.card_read.publish(card)

    def _still_present(self, ctx: int, reader: str) -> bool:
        hr, states = self._pcsc.SCardGetStatusChange(ctx, 0, [(reader, 0)])
        return _hr(hr) in (0, TIMEOUT) and bool(states[0][1] & scard.SCARD_STATE_PRESENT)


def read_card_in(pcsc: Any, ctx: int, reader: str) -> p.SocialSecurityCard:
    """Connect to the card in reader and read it. Raises CardError (CardGone, ServiceLost)."""
    hr, handle, proto = pcsc.SCardConnect(ctx, reader, scard.SCARD_SHARE_SHARED,
                                          scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
    _check(_hr(hr))

    def transmit(apdu: bytes) -> bytes:
        hr, reply = pcsc.SCardTransmit(handle, proto, list(apdu))
        _check(_hr(hr))
        return bytes(reply)

    try:
        return p.read_card(transmit)
    finally:
        pcsc.SCardDisconnect(handle, scard.SCARD_LEAVE_CARD)


def _check(hr: int) -> None:
    if hr == 0:
        return
    if hr in SERVICE_LOST:
        raise ServiceLost(f"PC/SC service lost ({hr:08X})")
    if hr in CARD_GONE or hr in READER_GONE:
        raise CardGone("the card left the reader")
    raise p.CardError(f"PC/SC error {hr:08X}: {scard.SCardGetErrorMessage(hr)}")
