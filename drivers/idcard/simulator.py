"""A simulated GA 467 SAM module on a pty, answering with the bytes of ``protocol``.

The driver opens ``port`` exactly as it would open the real module's serial port.
Card state follows the device: read needs select, select needs find, and taking the
card away (or putting another one down) starts over. ``60 xx`` switches the line
rate (answered at the old rate); at a rate other than the module's, nothing is
understood (see ``SerialSimulator``).

Faults to script: ``force(command, sw3)`` makes a command keep answering ``sw3``
(e.g. SAM status 60: self-test failed); ``fail_next_read`` makes the card leave the
field during the next read; plus the base's unplug/replug, ``answering``, noise.
"""

from __future__ import annotations

from pathlib import Path

from drivers.idcard import protocol as p
from drivers.idcard.protocol import FrameBuffer, IdCard, ProtocolError
from drivers.serial_sim import SerialSimulator

DEFAULT_SAM_ID = bytes.fromhex("05010000202401010000000100000000")
READ_FAULTS = ("cut", "vanish", "fail")


class IdCardSimulator(SerialSimulator):
    thread_name = "idcard-sim"

    def __init__(
        self,
        card: IdCard | None = None,
        *,
        baud: int | None = None,
        pace: bool = True,
        link: str | Path | None = None,
        iin: bytes = bytes(4),
        sam_id: bytes = DEFAULT_SAM_ID,
    ) -> None:
        if baud is not None:
            p.set_baud(baud)  # the module runs at one of its five rates only
        super().__init__(baud=baud, pace=pace, link=link)
        self._iin = iin
        self._sam_id = sam_id
        self._read_reply: bytes | None = None  # the present card's READ_BASE answer
        self._found = False
        self._selected = False
        self._forced: dict[tuple[int, int], int] = {}
        self._read_fault: tuple[str, int] | None = None
        if card is not None:
            self.insert(card)

    def new_splitter(self) -> FrameBuffer:
        return FrameBuffer(verify=False)  # bad checksums must reach respond()

    def handle(self, frame: bytes) -> bytes:
        return self.respond(frame)

    # --- the card and the faults, from any thread ------------------------------------

    def insert(self, card: IdCard) -> None:
        reply = p.encode_read_reply(card)  # a card that cannot be encoded fails here
        with self.lock:
            self._read_reply = reply
            self._found = self._selected = False

    def remove(self) -> None:
        with self.lock:
            self._read_reply = None
            self._found = self._selected = False

    @property
    def has_card(self) -> bool:
        return self._read_reply is not None

    def force(self, command: tuple[int, int], sw3: int | None) -> None:
        """``command`` answers ``sw3`` (no data) until forced again with None."""
        with self.lock:
            if sw3 is None:
                self._forced.pop(command, None)
            else:
                self._forced[command] = sw3

    def fail_next_read(self, how: str = "cut", after: int = 600) -> None:
        """The next read goes wrong as the card leaves the field.

        "cut": the reply stops after ``after`` bytes and the card is gone; "vanish":
        SW3 41 (read failed) and the card is gone; "fail": SW3 41, the card stays.
        """
        if how not in READ_FAULTS:
            raise ValueError(f"how must be one of {READ_FAULTS}")
        with self.lock:
            self._read_fault = (how, after)

    # --- the module ---------------------------------------------------------------------

    def respond(self, frame: bytes) -> bytes:
        """The reply the module gives to one command frame."""
        if len(frame) > p.HEADER_SIZE and p.checksum(frame[len(p.PREAMBLE) : -1]) != frame[-1]:
            return p.encode_reply(p.SW3_CHECKSUM_ERROR)
        try:
            cmd, para, _ = p.decode_command(frame)
        except ProtocolError:
            return p.encode_reply(p.SW3_LENGTH_ERROR)
        with self.lock:
            forced = self._forced.get((cmd, para))
            if forced is not None:
                return p.encode_reply(forced)
            return self._respond((cmd, para))

    def _respond(self, command: tuple[int, int]) -> bytes:
        present = self._read_reply is not None
        if command == p.FIND_CARD:
            self._found, self._selected = present, False
            if present:
                return p.encode_reply(p.SW3_FIND_OK, self._iin)
            return p.encode_reply(p.SW3_NO_CARD)
        if command == p.SELECT_CARD:
            self._selected = present and self._found
            return p.encode_reply(p.SW3_OK if self._selected else p.SW3_SELECT_FAILED)
        if command == p.READ_BASE:
            return self._read()
        if command in (p.SAM_RESET, p.SAM_STATUS):
            if command == p.SAM_RESET:
                self._found = self._selected = False
            return p.encode_reply(p.SW3_OK)
        if command == p.SAM_ID:
            return p.encode_reply(p.SW3_OK, self._sam_id)
        rate = p.baud_of(command)
        if rate is not None:
            if self.baud is not None:
                self.switch_baud_after_reply(rate)
            return p.encode_reply(p.SW3_OK)
        return p.encode_reply(p.SW3_COMMAND_ERROR)

    def _read(self) -> bytes:
        reply = self._read_reply
        if reply is None or not self._selected:
            return p.encode_reply(p.SW3_READ_FAILED)
        fault, self._read_fault = self._read_fault, None
        if fault is None:
            return reply
        how, after = fault
        self._selected = False
        if how != "fail":
            self.remove()
        if how == "cut":
            return reply[:after]
        return p.encode_reply(p.SW3_READ_FAILED)
