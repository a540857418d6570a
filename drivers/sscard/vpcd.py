"""Put a simulated card into pcscd's virtual reader (vsmartcard-vpcd).

vpcd listens on TCP (35963 for "Virtual PCD 00 00"); the card is the client. Each
message is a 2-byte big-endian length and a payload. A 1-byte payload is a control
message (00 power off, 01 power on, 02 reset, 04 get ATR, answered with the ATR);
anything longer is a command APDU, answered with the reply APDU. Connecting inserts
the card, closing the socket removes it. vpcd asks for the ATR on every presence
poll, so the card must keep answering promptly.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time

from drivers.sscard.simulator import SimulatedCard

log = logging.getLogger(__name__)

VPCD_PORT = 35963
CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0x00, 0x01, 0x02, 0x04
RECONNECT_S = 0.1  # how often a card left in the reader retries a restarted pcscd


def frame(payload: bytes) -> bytes:
    if len(payload) > 0xFFFF:
        raise ValueError("a vpcd message is at most 65535 bytes")
    return len(payload).to_bytes(2, "big") + payload


class FrameReader:
    """Split a byte stream into vpcd messages; feed it in any chunks."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, chunk: bytes) -> list[bytes]:
        self._buf += chunk
        out = []
        while len(self._buf) >= 2:
            size = int.from_bytes(self._buf[:2], "big")
            if len(self._buf) < 2 + size:
                break
            out.append(bytes(self._buf[2 : 2 + size]))
            del self._buf[: 2 + size]
        return out


def answer(card: SimulatedCard, message: bytes) -> bytes | None:
    """The card's reply to one vpcd message (None: control messages that expect none)."""
    if len(message) == 1:
        if message[0] == CTRL_ATR:
            return card.atr
        if message[0] in (CTRL_ON, CTRL_RESET, CTRL_OFF):
            card.reset()
        return None
    return card.process(message)


class VirtualCard:
    """A card held in the virtual reader from ``insert()`` until ``remove()``.

    Like a card left in a real reader, it stays in across a pcscd restart: when the
    link drops it reconnects by itself until removed.
    """

    def __init__(self, card: SimulatedCard, host: str = "127.0.0.1", port: int = VPCD_PORT):
        self.card, self.host, self.port = card, host, port
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._removed = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()  # set while pcscd holds the link
        self.links = 0  # successful connections so far

    @property
    def inserted(self) -> bool:
        return self._thread is not None

    @property
    def removing(self) -> threading.Event:
        """Set as soon as remove() begins (a scripted card can wait on it mid-APDU)."""
        return self._removed

    def insert(self, timeout: float = 10.0) -> None:
        """Insert the card; raises ConnectionError if vpcd does not accept within timeout."""
        if self._thread is not None:
            raise RuntimeError("card already inserted")
        self._removed.clear()
        self.connected.clear()
        sock = self._connect(timeout)
        self._thread = threading.Thread(target=self._run, args=(sock,), name="vpcd-card",
                                        daemon=True)
        self._thread.start()

    def remove(self) -> None:
        """Take the card out: the link closes, pcscd sees the card gone."""
        self._removed.set()
        self._close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.connected.clear()

    def __enter__(self) -> VirtualCard:
        self.insert()
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def _connect(self, timeout: float) -> socket.socket:
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=2)
            except OSError as exc:
                if time.monotonic() >= deadline or self._removed.is_set():
                    raise ConnectionError(
                        f"pcscd's virtual reader is not listening on {self.host}:{self.port} "
                        f"(is pcscd running with vsmartcard-vpcd?): {exc}"
                    ) from None
                self._removed.wait(RECONNECT_S)
                continue
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._sock = sock
            self.links += 1
            self.connected.set()
            return sock

    def _close(self) -> None:
        with self._lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in recv
            sock.close()

    def _run(self, sock: socket.socket) -> None:
        while not self._removed.is_set():
            self._serve(sock)
            self.connected.clear()
            self._close()
            if self._removed.is_set():
                return
            log.info("vpcd link dropped; the card stays in and reconnects")
            try:
                sock = self._connect(timeout=float("inf"))
            except ConnectionError:
                return  # removed while waiting

    def _serve(self, sock: socket.socket) -> None:
        reader = FrameReader()
        self.card.reset()
        while True:
            try:
                # vpcd writes the length and the APDU in two sends; without a quick ACK of
                # the first, Nagle holds the second for our delayed ACK: ~40 ms per APDU.
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
                chunk = sock.recv(4096)
            except OSError:
                return
            if not chunk:
                return
            for message in reader.feed(chunk):
                reply = answer(self.card, message)
                if reply is not None:
                    try:
                        sock.sendall(frame(reply))
                    except OSError:
                        return
