"""One conversation with a GA 467 SAM module over a serial port: blocking, one thread.

The reader thread, the diagnostic CLI and the benchmark all talk through this.
Every failure is an ``IdCardError`` whose ``kind`` says what to do about it and
whose detail (en and zh) names no person.
"""

from __future__ import annotations

import logging
import threading
import time

from drivers.events import NO_ANSWER, Detail
from drivers.idcard import protocol as p
from drivers.idcard.protocol import IdCard, ProtocolError, Reply
from drivers.serial_link import LinkError, SerialLink, Stopped

__all__ = ["IdCardError", "SamLink", "Stopped"]
log = logging.getLogger(__name__)

# Kinds of IdCardError. The first group is about the device, the second about the card.
DEVICE_KINDS = ("no_device", "port_in_use", "serial", "no_answer", "wrong_baud", "sam_fault")
CARD_KINDS = ("no_card", "read_failed", "incomplete", "invalid", "removed")
SAM_FAULTS = frozenset({0x60, 0x66})  # self-test failed, not authorised: an engineer must come


class IdCardError(LinkError):
    """Why talking to the module or reading a card failed. Never personal."""

    DEVICE_KINDS = DEVICE_KINDS

    def __init__(self, kind: str, detail: Detail, sw3: int | None = None) -> None:
        super().__init__(kind, detail)
        self.sw3 = sw3


def sw3_detail(what: str, what_zh: str, sw3: int) -> Detail:
    return Detail(
        f"{what}: {p.sw3_message(sw3)} (SW3 {sw3:02X})",
        f"{what_zh}：{p.sw3_message(sw3, 'zh')}（SW3 {sw3:02X}）",
    )


class SamLink(SerialLink):
    error = IdCardError

    def __init__(
        self,
        port: str,
        baud: int = p.DEFAULT_BAUD,
        *,
        reply_timeout: float = 0.5,
        read_timeout: float = 2.0,
        gap_timeout: float = 0.3,
        hunt: bool = True,
        stop: threading.Event | None = None,
    ) -> None:
        p.set_baud(baud)  # ValueError now for a rate the module cannot run at
        super().__init__(port, baud, stop=stop)
        self.reply_timeout = reply_timeout
        self.read_timeout = read_timeout  # the SAM needs a while for the RF exchange
        self.gap_timeout = gap_timeout  # silence inside a frame: the rest is not coming
        self.hunt = hunt  # look for the module at its other rates and switch it back

    def handshake(self) -> None:
        """The module must answer SAM status at ``baud`` (after a switch if need be)."""
        status = self._probe(self.baud)
        if status is None and self.hunt:
            status = self._find_and_switch()
        if status is None:
            raise IdCardError("no_answer", NO_ANSWER)
        if status.sw3 != p.SW3_OK:
            raise IdCardError("sam_fault", sw3_detail("SAM status", "SAM状态", status.sw3),
                              status.sw3)  # fmt: skip

    def exchange(self, command: tuple[int, int], timeout: float | None = None) -> Reply:
        """Send one command and return its reply; IdCardError if none comes in time."""
        with self._port_errors():
            self._serial.reset_input_buffer()  # a late answer to an earlier command is stale
            self._serial.write(p.encode_command(*command))
            frames = p.FrameBuffer()
            deadline = time.monotonic() + (timeout or self.reply_timeout)
            last_byte = time.monotonic()
            while True:
                chunk = self._read_some()
                now = time.monotonic()
                if chunk:
                    last_byte = now
                for frame in frames.feed(chunk):
                    try:
                        return p.decode_reply(frame)
                    except ProtocolError:
                        log.debug("ignored a frame that is not a reply")
                if frames.pending >= p.HEADER_SIZE and now - last_byte > self.gap_timeout:
                    raise IdCardError("incomplete", Detail("reply cut off", "应答不完整"))
                if now >= deadline:
                    raise IdCardError("no_answer", NO_ANSWER)

    # --- the read sequence --------------------------------------------------------------

    def find(self) -> Reply:
        return self.exchange(p.FIND_CARD)

    def sam_id(self) -> bytes:
        reply = self.exchange(p.SAM_ID)
        if reply.sw3 != p.SW3_OK:
            raise IdCardError("sam_fault", sw3_detail("SAM ID", "SAM编号", reply.sw3), reply.sw3)
        return reply.data

    def read_card(self) -> IdCard:
        """Select and read the card that find has just found."""
        select = self.exchange(p.SELECT_CARD)
        if select.sw3 != p.SW3_OK:
            raise IdCardError("read_failed", sw3_detail("select", "选卡", select.sw3), select.sw3)
        reply = self.exchange(p.READ_BASE, self.read_timeout)
        if reply.sw3 != p.SW3_OK:
            raise IdCardError("read_failed", sw3_detail("read", "读卡", reply.sw3), reply.sw3)
        try:
            return p.decode_read_reply(reply)
        except ProtocolError as e:  # messages name fields, never their values
            raise IdCardError("invalid", Detail(f"card data rejected: {e}", "卡片数据无效")) from e

    def read_once(self) -> IdCard:
        """Find, select and read: the whole sequence, for one-off reads."""
        find = self.find()
        if find.sw3 == p.SW3_NO_CARD:
            raise IdCardError("no_card", sw3_detail("find", "寻卡", find.sw3), find.sw3)
        if find.sw3 in SAM_FAULTS:
            raise IdCardError("sam_fault", sw3_detail("find", "寻卡", find.sw3), find.sw3)
        if find.sw3 != p.SW3_FIND_OK:
            raise IdCardError("read_failed", sw3_detail("find", "寻卡", find.sw3), find.sw3)
        return self.read_card()

    # --- line rates ------------------------------------------------------------------------

    def _probe(self, rate: int) -> Reply | None:
        """SAM status at ``rate``; None if nothing sensible answers."""
        with self._port_errors():
            self._serial.baudrate = rate
        try:
            return self.exchange(p.SAM_STATUS)
        except IdCardError as e:
            if e.kind in ("no_answer", "incomplete"):
                return None
            raise

    def _find_and_switch(self) -> Reply | None:
        """The module answers at another rate (set earlier, or its power-on 115200): switch it."""
        others = sorted(p.BAUD_RATES, key=lambda r: (r != p.DEFAULT_BAUD, -r))
        for rate in others:
            if rate == self.baud or self._probe(rate) is None:
                continue
            log.info("module answers at %d baud; switching it to %d", rate, self.baud)
            reply = self.exchange(p.set_baud(self.baud))
            if reply.sw3 != p.SW3_OK:
                raise IdCardError("wrong_baud", Detail(
                    f"module answers at {rate} baud and refused {self.baud}",
                    f"模块波特率为{rate}，无法切换到{self.baud}"))  # fmt: skip
            return self._probe(self.baud)
        return None
