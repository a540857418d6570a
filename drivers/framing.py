"""Cutting a serial byte stream into frames: the one resync mechanism every protocol shares.

A frame starts with a marker and says its own length in a fixed-size header. Garbage
before a marker is dropped; a marker whose length is absurd, or whose frame fails its
check, was noise, and the search goes on one byte further. Never raises.
"""

from __future__ import annotations

from collections.abc import Callable


class StreamFramer:
    def __init__(
        self,
        marker: bytes,
        header_size: int,
        frame_size: Callable[[bytes], int | None],
        intact: Callable[[bytes], bool],
        *,
        shape_ok: Callable[[bytes], bool] = lambda _frame: True,
        verify: bool = True,
        skip_fragments: bool = True,
    ) -> None:
        """``frame_size(header)``: the whole frame's size, None if implausible.
        ``intact(frame)``: its checksum holds; with ``verify=False`` (a device's side) a
        frame that fails it still comes out, to be answered with the protocol's error.
        ``shape_ok(frame)``: structure that must hold either way (e.g. ETX in place).
        ``skip_fragments``: give up on an unfinished frame when a whole, intact frame
        follows it; one side speaks at a time, so the unfinished one was cut off.
        """
        self._buf = bytearray()
        self._marker, self._header_size = marker, header_size
        self._frame_size, self._intact, self._shape_ok = frame_size, intact, shape_ok
        self._verify, self._skip_fragments = verify, skip_fragments

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
            start = self._buf.find(self._marker)
            if start < 0:
                # Keep a tail that may be the start of the next marker.
                del self._buf[: max(0, len(self._buf) - (len(self._marker) - 1))]
                return frames
            del self._buf[:start]
            if len(self._buf) < self._header_size:
                return frames
            size = self._size_at(0)
            if size is None:
                del self._buf[:1]  # implausible length: this marker was noise
                continue
            if size > len(self._buf):
                if self._skip_fragments and self._skip_to_later_frame():
                    continue
                return frames
            frame = bytes(self._buf[:size])
            if not self._shape_ok(frame) or (self._verify and not self._intact(frame)):
                del self._buf[:1]
                continue
            del self._buf[:size]
            frames.append(frame)

    def _size_at(self, pos: int) -> int | None:
        return self._frame_size(bytes(self._buf[pos : pos + self._header_size]))

    def _skip_to_later_frame(self) -> bool:
        pos = self._buf.find(self._marker, 1)
        while 0 < pos <= len(self._buf) - self._header_size:
            size = self._size_at(pos)
            end = pos + size if size is not None else len(self._buf) + 1
            if end <= len(self._buf):
                frame = bytes(self._buf[pos:end])
                if self._shape_ok(frame) and self._intact(frame):
                    del self._buf[:pos]
                    return True
            pos = self._buf.find(self._marker, pos + 1)
        return False
