"""Cuts a byte stream into queue-device frames (pure, no I/O)."""

from __future__ import annotations

from drivers.framing import StreamFramer
from drivers.queue.protocol import ETX, HEADER_SIZE, STX, crc_ok, frame_size


class FrameSplitter(StreamFramer):
    """Splits a byte stream into whole frames; drops garbage and never raises.

    ``verify=True`` (the host's side) yields only frames whose CRC holds and resyncs
    one byte further on a mismatch. ``verify=False`` (the device's side) also yields
    frames with a bad CRC, so the device can answer them with status 4 (CRC error).
    Either way a frame's ETX must sit where its LEN says.
    """

    def __init__(self, *, verify: bool = True) -> None:
        super().__init__(
            bytes([STX]), HEADER_SIZE, frame_size, crc_ok,
            shape_ok=lambda frame: frame[-3] == ETX, verify=verify, skip_fragments=True,
        )
