"""A simulated GA 467 SAM module on a pty, answering with the bytes of ``protocol``.

The driver opens ``port`` exactly as it would open the real module's serial port.
Card state follows the device: read needs select, select needs find, and taking the
card away (or putting another one down) starts over.
"""

from __future__ import annotations

import os
import select
import threading
import time

from drivers.idcard import protocol as p
from drivers.idcard.protocol import IdCard, ProtocolError
from drivers.pty_pair import PtyPair

DEFAULT_SAM_ID = bytes.fromhex("05010000202401010000000100000000")
_TICK = 0.05  # longest wait on the pty, so stop() is prompt
_IDLE_RESET = 0.2  # a half-received command older than this is dropped, as a UART device does


class IdCardSimulator:
    def __init__(
        self,
        card: IdCard | None = None,
        *,
        baud: int | None = None,
        iin: bytes = bytes(4),
        sam_id: bytes = DEFAULT_SAM_ID,
    ) -> None:
        self.commands_received: list[bytes] = []
        self._baud = baud  # pace replies like the wire at this rate; None: at once
        self._iin = iin
        self._sam_id = sam_id
        self._lock = threading.Lock()
        self._read_reply: bytes | None = None  # the present card's READ_BASE answer
        self._found = False
        self._selected = False
        self._pty: PtyPair | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        if card is not None:
            self.insert(card)

    @property
    def port(self) -> str:
        """The pty slave path for the driver to open."""
        if self._pty is None:
            raise RuntimeError("simulator is not running")
        return self._pty.port

    def start(self) -> None:
        if self._pty is not None:
            return
        self._pty = PtyPair()
        os.set_blocking(self._pty.master_fd, False)
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._serve, args=(self._pty.master_fd,), name="idcard-sim", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop answering and close the pty: to the driver, the device is gone."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5.0)
            self._thread = None
        if self._pty is not None:
            self._pty.close()
            self._pty = None

    def insert(self, card: IdCard) -> None:
        reply = p.encode_read_reply(card)  # a card that cannot be encoded fails here
        with self._lock:
            self._read_reply = reply
            self._found = self._selected = False

    def remove(self) -> None:
        with self._lock:
            self._read_reply = None
            self._found = self._selected = False

    def respond(self, frame: bytes) -> bytes:
        """The reply the module gives to one command frame."""
        if len(frame) > p.HEADER_SIZE and p.checksum(frame[len(p.PREAMBLE) : -1]) != frame[-1]:
            return p.encode_reply(p.SW3_CHECKSUM_ERROR)
        try:
            cmd, para, _ = p.decode_command(frame)
        except ProtocolError:
            return p.encode_reply(p.SW3_LENGTH_ERROR)
        with self._lock:
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
            if self._read_reply is not None and self._selected:
                return self._read_reply
            return p.encode_reply(p.SW3_READ_FAILED)
        if command in (p.SAM_RESET, p.SAM_STATUS):
            if command == p.SAM_RESET:
                self._found = self._selected = False
            return p.encode_reply(p.SW3_OK)
        if command == p.SAM_ID:
            return p.encode_reply(p.SW3_OK, self._sam_id)
        return p.encode_reply(p.SW3_COMMAND_ERROR)

    def _serve(self, fd: int) -> None:
        frames = p.FrameBuffer(verify=False)  # bad checksums must reach respond()
        last_byte = time.monotonic()
        while not self._stop.is_set():
            ready, _, _ = select.select([fd], [], [], _TICK)
            if not ready:
                if frames.pending and time.monotonic() - last_byte > _IDLE_RESET:
                    frames.clear()
                continue
            try:
                chunk = os.read(fd, 4096)
            except BlockingIOError:
                continue
            except OSError:
                return  # the pty went away
            last_byte = time.monotonic()
            for frame in frames.feed(chunk):
                self.commands_received.append(frame)
                reply = self.respond(frame)
                if self._baud:
                    self._stop.wait(len(reply) * 10 / self._baud)  # 8N1: 10 bits a byte
                self._write(fd, reply)

    def _write(self, fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view and not self._stop.is_set():
            try:
                view = view[os.write(fd, view) :]
            except BlockingIOError:
                select.select([], [fd], [], _TICK)  # the driver is not reading: wait
            except OSError:
                return
