"""The ID card reader driver: a GA 467 SAM module on a serial port, polled on its own thread.

Each cycle sends find; a new card is selected and read once, and on_card fires once
per presence. A read that fails (the card left the field, a cut-off reply, a card
that fails verification) fires on_read_error and is tried again while the card
stays, up to ``max_read_attempts``. When the port vanishes or the module stops
answering, the status says so at once and the port is reopened with a growing
delay (``Backoff``) until the module answers again.

Callbacks run on the reader thread: the app marshals them to its UI. Nothing
personal is logged: card data never leaves the on_card callback here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from common.events import Topic
from drivers.device import Action, DeviceState, DeviceStatus
from drivers.events import Detail
from drivers.idcard import protocol as p
from drivers.idcard.link import SAM_FAULTS, IdCardError, SamLink, Stopped, sw3_detail
from drivers.idcard.protocol import IdCard
from drivers.link_driver import LinkDriver

log = logging.getLogger(__name__)

DEVICE = "idcard"
REMOVED = Detail("card removed during the read", "读卡过程中卡片被移开，请重新放卡")
_STATES = {  # IdCardError.kind -> the device state it means
    "no_device": DeviceState.NO_DEVICE,
    "sam_fault": DeviceState.HARDWARE_ERROR,
}


class IdCardReader(LinkDriver):
    thread_name = "idcard-reader"

    def __init__(
        self,
        port: str,
        baud: int = p.DEFAULT_BAUD,
        *,
        on_card: Callable[[IdCard], None],
        on_removed: Callable[[], None] | None = None,
        on_status: Callable[[DeviceStatus], None] | None = None,
        on_read_error: Callable[[IdCardError], None] | None = None,
        poll_interval: float = 0.3,
        reply_timeout: float = 0.5,
        read_timeout: float = 2.0,
        reopen_interval: float = 0.5,
        reopen_max: float = 8.0,
        max_read_attempts: int = 3,
    ) -> None:
        stop = threading.Event()
        # Built now so a bad baud rate fails here, not silently on the thread.
        link = SamLink(port, baud, reply_timeout=reply_timeout, read_timeout=read_timeout,
                       stop=stop)  # fmt: skip
        super().__init__(
            DEVICE, link, stop, on_status=on_status,
            reopen_interval=reopen_interval, reopen_max=reopen_max, log=log,
        )  # fmt: skip
        self.card_read: Topic[IdCard] = Topic("on_card", logger=log)
        self.card_removed: Topic[None] = Topic("on_removed", logger=log)
        # A read that failed (card taken away mid-read ...): error.detail says so in zh/en.
        self.read_failed: Topic[IdCardError] = Topic("on_read_error", logger=log)
        self.card_read.subscribe(on_card)
        if on_removed is not None:
            self.card_removed.subscribe(lambda _none: on_removed())
        if on_read_error is not None:
            self.read_failed.subscribe(on_read_error)
        self._poll_interval = poll_interval
        self._max_read_attempts = max_read_attempts
        self._present = False  # a card was delivered and has not been seen to go
        self._failed_reads = 0  # failed reads of the card now on the reader
        self._last_find = p.SW3_NO_CARD  # an odd answer is logged once, not every poll

    def _starting(self) -> None:
        self._present, self._failed_reads = False, 0

    def rearm(self) -> None:
        """Deliver the card on the reader again at the next poll, if one is there.

        For a new session begun with the card already lying on the reader: without
        this the citizen would have to lift it and put it down again.
        """
        self._present, self._failed_reads = False, 0

    # --- the reader thread -------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            wait = self._poll_interval
            try:
                if not self._link.is_open:
                    self._link.open()
                    log.info("ID card reader answers on %s", self._link.port)
                self._poll()
            except Stopped:
                break
            except IdCardError as e:
                self._lost(e)
                wait = self._backoff.next()
            self._stop.wait(wait)
        self._link.close()

    def _lost(self, error: IdCardError) -> None:
        self._link.close()
        if self._present:
            # The card may go unseen while we are away: say it is gone rather than
            # let a different card later pass for the one already delivered.
            self._card_gone()
        self._failed_reads = 0
        state = _STATES.get(error.kind, DeviceState.OFFLINE)
        self._status.set(state, error.detail, Action.MAINTENANCE)

    def _poll(self) -> None:
        find = self._link.find()
        changed, self._last_find = find.sw3 != self._last_find, find.sw3
        if find.sw3 in SAM_FAULTS:
            raise IdCardError("sam_fault", sw3_detail("find", "寻卡", find.sw3), find.sw3)
        # Online once find works, not when the port opens: a module whose SAM fails
        # only at find would otherwise flap between online and hardware error.
        if self._status.set(DeviceState.ONLINE):
            self._backoff.reset()
        if find.sw3 == p.SW3_NO_CARD:
            self._failed_reads = 0
            if self._present:
                self._card_gone()
            return
        if find.sw3 != p.SW3_FIND_OK:
            if changed:
                log.warning("find answered %#04x (%s)", find.sw3, find.message)
            return
        if self._present or self._failed_reads >= self._max_read_attempts:
            return  # already delivered, or unreadable: wait for it to be taken away
        card = self._read_card()
        if card is None:
            return
        self._present = True
        self._failed_reads = 0
        log.info("card read")
        self.card_read.publish(card)

    def _read_card(self) -> IdCard | None:
        try:
            return self._link.read_card()
        except IdCardError as e:
            if e.device_fault and e.kind != "no_answer":
                raise
            failure = e  # silence after select or read may be the card, not the module
        # Did the card leave, or is it still there to be read again? A device that
        # does not answer this either is lost (IdCardError propagates).
        if self._link.find().sw3 == p.SW3_NO_CARD:
            failure = IdCardError("removed", REMOVED, failure.sw3)
            self._failed_reads = 0
        else:
            self._failed_reads += 1
            if self._failed_reads == self._max_read_attempts:
                log.warning("card unreadable after %d attempts; waiting for removal",
                            self._failed_reads)  # fmt: skip
        log.info("read failed: %s", failure.kind)
        self.read_failed.publish(failure)
        return None

    def _card_gone(self) -> None:
        self._present = False
        log.info("card removed")
        self.card_removed.publish(None)
