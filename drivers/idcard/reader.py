"""The ID card reader driver: a GA 467 SAM module on a serial port, polled on its own thread.

Each cycle sends find; a new card is selected and read once, and on_card fires once
per presence. Callbacks run on the reader thread: the app marshals them to its UI.
Nothing personal is logged: card data never leaves the on_card callback here.
"""

from __future__ import annotations

import errno
import logging
import threading
import time
from collections.abc import Callable

import serial

from drivers.device import Action, DeviceState, DeviceStatus
from drivers.idcard import protocol as p
from drivers.idcard.protocol import IdCard, ProtocolError, Reply

log = logging.getLogger(__name__)

DEVICE = "idcard"
_READ_SLICE = 0.05  # longest single blocking read, so stop() and deadlines stay prompt
_PORT_GONE = (errno.ENOENT, errno.ENODEV, errno.ENXIO)
_PORT_BUSY = (errno.EAGAIN, errno.EBUSY)  # another process holds the exclusive lock
_SAM_FAULTS = (0x60, 0x66)  # self-test failed, SAM not authorised: the module needs a visit


class _NoAnswer(Exception):
    pass


class _Stopped(Exception):
    pass


class _SamFault(Exception):
    pass


class IdCardReader:
    def __init__(
        self,
        port: str,
        baud: int = 115200,
        *,
        on_card: Callable[[IdCard], None],
        on_removed: Callable[[], None] | None = None,
        on_status: Callable[[DeviceStatus], None] | None = None,
        poll_interval: float = 0.3,
        reply_timeout: float = 0.5,
        read_timeout: float = 2.0,
        reopen_interval: float = 1.0,
        max_read_attempts: int = 3,
    ) -> None:
        # Built unopened so a bad baud rate fails here, not silently on the thread.
        # exclusive: a second process polling the same module would interleave frames.
        self._serial = serial.Serial(
            None, baud, timeout=_READ_SLICE, write_timeout=1.0, exclusive=True
        )
        self._port = port
        self._on_card = on_card
        self._on_removed = on_removed
        self._on_status = on_status
        self._poll_interval = poll_interval
        self._reply_timeout = reply_timeout
        self._read_timeout = read_timeout  # the SAM needs a while for the RF exchange
        self._reopen_interval = reopen_interval
        self._max_read_attempts = max_read_attempts
        self._status = DeviceStatus(DEVICE, DeviceState.STARTING)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._present = False  # a card was delivered and has not been seen to go
        self._failed_reads = 0  # failed reads of the card now on the reader
        self._last_find = p.SW3_NO_CARD  # an odd answer is logged once, not every poll

    @property
    def status(self) -> DeviceStatus:
        return self._status

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._present, self._failed_reads = False, 0
        self._thread = threading.Thread(target=self._run, name="idcard-reader", daemon=True)
        self._thread.start()

    def rearm(self) -> None:
        """Deliver the card on the reader again at the next poll, if one is there.

        For a new session begun with the card already lying on the reader: without
        this the citizen would have to lift it and put it down again.
        """
        self._present, self._failed_reads = False, 0

    def stop(self, timeout: float = 5.0) -> None:
        """Stop polling, wait for the thread and close the port."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is threading.current_thread():
            return  # called from a callback: the loop ends and closes the port itself
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("reader thread did not stop within %.1f s", timeout)
                return  # it still owns the port; it closes it on its way out
        self._serial.close()

    # --- the reader thread -------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            wait = self._poll_interval
            try:
                if not self._serial.is_open:
                    self._connect()
                self._poll()
            except _Stopped:
                break
            except _NoAnswer:
                self._lost(DeviceState.OFFLINE, "no answer")
                wait = self._reopen_interval
            except _SamFault as e:
                self._lost(DeviceState.HARDWARE_ERROR, str(e))
                wait = self._reopen_interval
            except (serial.SerialException, OSError) as e:
                code = getattr(e, "errno", None)
                gone = code in _PORT_GONE
                state = DeviceState.NO_DEVICE if gone else DeviceState.OFFLINE
                detail = "port in use" if code in _PORT_BUSY else "serial error"
                self._lost(state, "port missing" if gone else detail)
                log.debug("serial failure: %s", e)
                wait = self._reopen_interval
            self._stop.wait(wait)
        self._serial.close()

    def _connect(self) -> None:
        self._serial.port = self._port
        self._serial.open()
        status = self._exchange(p.SAM_STATUS, self._reply_timeout)
        if status.sw3 != p.SW3_OK:
            raise _SamFault(f"SAM status: {status.message}")
        log.info("ID card reader online on %s", self._port)
        self._set_status(DeviceStatus(DEVICE, DeviceState.ONLINE))

    def _lost(self, state: DeviceState, detail: str) -> None:
        self._serial.close()
        if self._present:
            # The card may go unseen while we are away: say it is gone rather than
            # let a different card later pass for the one already delivered.
            self._card_gone()
        self._failed_reads = 0
        self._set_status(DeviceStatus(DEVICE, state, detail, Action.MAINTENANCE))

    def _poll(self) -> None:
        find = self._exchange(p.FIND_CARD, self._reply_timeout)
        changed, self._last_find = find.sw3 != self._last_find, find.sw3
        if find.sw3 == p.SW3_NO_CARD:
            self._failed_reads = 0
            if self._present:
                self._card_gone()
            return
        if find.sw3 in _SAM_FAULTS:
            raise _SamFault(f"find: {find.message}")
        if find.sw3 != p.SW3_FIND_OK:
            if changed:
                log.warning("find answered %#04x (%s)", find.sw3, find.message)
            return
        if self._present or self._failed_reads >= self._max_read_attempts:
            return  # already delivered, or unreadable: wait for it to be taken away
        card = self._read_card()
        if card is None:
            self._failed_reads += 1
            if self._failed_reads == self._max_read_attempts:
                log.warning(
                    "card unreadable after %d attempts; waiting for removal", self._failed_reads
                )
            return
        self._present = True
        self._failed_reads = 0
        log.info("card read")
        self._call("on_card", self._on_card, card)

    def _read_card(self) -> IdCard | None:
        select = self._exchange(p.SELECT_CARD, self._reply_timeout)
        if select.sw3 != p.SW3_OK:
            log.info("select answered %#04x (%s)", select.sw3, select.message)
            return None
        reply = self._exchange(p.READ_BASE, self._read_timeout)
        try:
            return p.decode_read_reply(reply)
        except ProtocolError as e:  # messages name fields, never their values
            log.warning("card read rejected: %s", e)
            return None

    def _card_gone(self) -> None:
        self._present = False
        log.info("card removed")
        if self._on_removed is not None:
            self._call("on_removed", self._on_removed)

    def _exchange(self, command: tuple[int, int], timeout: float) -> Reply:
        """Send one command and wait for its reply until ``timeout`` has passed."""
        self._serial.reset_input_buffer()  # a late answer to an earlier command is stale
        self._serial.write(p.encode_command(*command))
        frames = p.FrameBuffer()
        deadline = time.monotonic() + timeout
        while True:
            if self._stop.is_set():
                raise _Stopped
            for frame in frames.feed(self._serial.read(self._serial.in_waiting or 1)):
                try:
                    return p.decode_reply(frame)
                except ProtocolError:
                    log.debug("ignored a frame that is not a reply")
            if time.monotonic() >= deadline:
                raise _NoAnswer

    def _set_status(self, status: DeviceStatus) -> None:
        if status == self._status:
            return
        self._status = status
        log.info("status %s %s", status.state.value, status.detail)
        if self._on_status is not None:
            self._call("on_status", self._on_status, status)

    @staticmethod
    def _call(name: str, callback: Callable[..., None], *args: object) -> None:
        # A broken subscriber must not kill the reader. Only the exception's type is
        # logged: its message may carry the card's data.
        try:
            callback(*args)
        except Exception as e:
            log.error("%s callback raised %s", name, type(e).__name__)
