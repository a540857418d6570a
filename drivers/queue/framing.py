"""Cuts a byte stream into queue-device frames (pure, no I/O)."""

from __future__ import annotations

from drivers.queue.protocol import ETX, HEADER_SIZE, STX, crc_ok, frame_size


class FrameSplitter:
    """Splits a byte stream into whole frames; drops garbage and never raises.

    ``verify=True`` (the host's side) yields only frames whose CRC holds and resyncs
    one byte further on a mismatch. ``verify=False`` (the device's side) also yields
    frames with a bad CRC, so the device can answer them with status 4 (CRC error).
    Either way a frame's ETX must sit where its LEN says.
    """

    def __init__(self, *, verify: bool = True) -> None:
        self._buf = bytearray()
        self._verify = verify

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a frame."""
        return len(self._buf)

    def clear(self) -> None:
        self._buf.clear()

    def feed(self, chunk: bytes) -> list[bytes]:
        self._buf += chunk
        frames: list[bytes] = []
        while True:
            start = self._buf.find(STX)
            if start < 0:
                self._buf.clear()
                return frames
            del self._buf[:start]
            if len(self._buf) < HEADER_SIZE:
                return frames
            size = frame_size(bytes(self._buf[:HEADER_SIZE]))
            if size is None:
                del self._buf[:1]  # implausible LEN: this STX was noise
                continue
            if size > len(self._buf):
                if self._skip_to_later_frame():
                    continue
                return frames
            frame = bytes(self._buf[:size])
            if frame[-3] != ETX or (self._verify and not crc_ok(frame)):
                del self._buf[:1]
                continue
            del self._buf[:size]
            frames.append(frame)

    def _skip_to_later_frame(self) -> bool:
        # One side speaks at a time, so a complete, valid frame after an unfinished one
        # means the unfinished one was a fragment (a cut-off frame, or noise with an STX
        # and a large LEN). Waiting for it would swallow the frame that did arrive.
        pos = self._buf.find(STX, 1)
        while 0 < pos <= len(self._buf) - HEADER_SIZE:
            size = frame_size(bytes(self._buf[pos : pos + HEADER_SIZE]))
            end = pos + size if size is not None else len(self._buf) + 1
            if end <= len(self._buf):
                frame = bytes(self._buf[pos:end])
                if frame[-3] == ETX and crc_ok(frame):
                    del self._buf[:pos]
                    return True
            pos = self._buf.find(STX, pos + 1)
        return False
