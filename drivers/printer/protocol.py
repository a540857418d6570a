"""ESC/POS as pure data: real-time status bytes and an incremental command parser (no I/O).

The op dataclasses (ops.py) and the page renderer (pages.py) are re-exported here, so callers
need one import for the whole protocol.
"""

from __future__ import annotations

import re

from drivers.printer.ops import (
    Align,
    Bold,
    CarriageReturn,
    CharSize,
    Code2D,
    Cut,
    Feed,
    FeedDots,
    Init,
    LeftMargin,
    LineFeed,
    LineSpacing,
    Op,
    Other,
    PrintMode,
    PrintWidth,
    Raster,
    Recover,
    StatusRequest,
    StatusTransmit,
    Text,
    Unknown,
)
from drivers.printer.pages import raster_to_image, render_pages
from drivers.printer.status import (
    PAPER_END,
    PAPER_NEAR_END,
    PAPER_STATES,
    STATUS_FIXED,
    STATUS_MASK,
    is_status_reply,
    is_sync_reply,
    paper_from_reply,
    status_reply,
)

__all__ = [
    "PAPER_END",
    "PAPER_NEAR_END",
    "PAPER_STATES",
    "STATUS_FIXED",
    "STATUS_MASK",
    "Align",
    "Bold",
    "CarriageReturn",
    "CharSize",
    "Code2D",
    "Cut",
    "EscPosParser",
    "Feed",
    "FeedDots",
    "Init",
    "LeftMargin",
    "LineFeed",
    "LineSpacing",
    "Op",
    "Other",
    "PrintMode",
    "PrintWidth",
    "Raster",
    "Recover",
    "StatusRequest",
    "StatusTransmit",
    "Text",
    "Unknown",
    "is_status_reply",
    "is_sync_reply",
    "paper_from_reply",
    "raster_to_image",
    "render_pages",
    "status_reply",
]

ESC, GS, DLE, FS = 0x1B, 0x1D, 0x10, 0x1C
LF, CR = 0x0A, 0x0D

INIT = b"\x1b@"
STATUS_REQUEST = b"\x10\x04"  # + n (1 printer, 2 offline cause, 3 error cause, 4 paper)
STATUS_PAPER = STATUS_REQUEST + b"\x04"
CUT_FULL = b"\x1dV\x00"
RASTER = b"\x1dv0"  # GS v 0 m xL xH yL yH + data


# GS v 0 limits: generous for any receipt, small enough that garbage cannot swallow the stream.
MAX_RASTER_WIDTH_BYTES, MAX_RASTER_HEIGHT = 256, 4095


# Fixed-length commands that are skipped as Other: prefix -> total length.
_FIXED_OTHER = {b"\x1b" + bytes([c]): 3 for c in b"-GMRUVt{ ="}
_FIXED_OTHER |= {b"\x1d" + bytes([c]): 3 for c in b"BHfhwa"}
_FIXED_OTHER |= {b"\x1b$": 4, b"\x1bp": 5}
# FS: the Chinese-printer commands (FS & enter / FS . leave double-byte mode, FS ! mode, ...)
_FIXED_OTHER |= {b"\x1c&": 2, b"\x1c.": 2, b"\x1c!": 3, b"\x1cC": 3, b"\x1cW": 3}
_TEXT_RUN = re.compile(rb"[\x20-\xff]+")
_NEED_MORE = None  # a step needs more bytes before it can decide


class EscPosParser:
    """Incremental parser: feeding a stream in any chunks yields the same ops as feeding it whole.

    Text is emitted when the next control byte arrives (so a multi-byte GB18030 character is never
    split); ``flush()`` emits whatever is still pending at the end of a stream.
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self._base = 0  # stream offset of _buf[0]

    def feed(self, chunk: bytes) -> list[Op]:
        return [op for op, _ in self.feed_with_offsets(chunk)]

    def feed_with_offsets(self, chunk: bytes) -> list[tuple[Op, int]]:
        """Ops completed by this chunk, each with the stream offset just past its last byte."""
        self._buf += chunk
        out: list[tuple[Op, int]] = []
        pos = 0
        while pos < len(self._buf):
            step = self._step(pos)
            if step is _NEED_MORE:
                break
            op, pos = step
            out.append((op, self._base + pos))
        del self._buf[:pos]
        self._base += pos
        return out

    def flush(self) -> list[Op]:
        """End of stream: pending text becomes Text, an incomplete command becomes Unknown."""
        rest = bytes(self._buf)
        self._base += len(rest)
        self._buf.clear()
        if not rest:
            return []
        return [Text(rest) if _TEXT_RUN.fullmatch(rest) else Unknown(rest)]

    def _step(self, pos: int) -> tuple[Op, int] | None:
        buf = self._buf
        b = buf[pos]
        if b >= 0x20:
            m = _TEXT_RUN.match(buf, pos)
            assert m is not None
            if m.end() == len(buf):
                return _NEED_MORE  # the run may continue in the next chunk
            return Text(bytes(m.group())), m.end()
        if b == LF:
            return LineFeed(), pos + 1
        if b == CR:
            return CarriageReturn(), pos + 1
        if b in (ESC, GS, DLE, FS):
            if pos + 1 >= len(buf):
                return _NEED_MORE
            parse = {ESC: self._esc, GS: self._gs, DLE: self._dle, FS: self._other}[b]
            return parse(pos)
        return Unknown(bytes([b])), pos + 1

    def _have(self, pos: int, n: int) -> bool:
        return pos + n <= len(self._buf)

    def _esc(self, pos: int) -> tuple[Op, int] | None:
        buf, c = self._buf, self._buf[pos + 1]
        if c == ord("@"):
            return Init(), pos + 2
        if c == ord("2"):
            return LineSpacing(None), pos + 2
        with_arg = {ord("a"): Align, ord("E"): lambda n: Bold(bool(n & 1)), ord("!"): PrintMode,
                    ord("d"): Feed, ord("J"): FeedDots, ord("3"): LineSpacing}
        if c in with_arg:
            if not self._have(pos, 3):
                return _NEED_MORE
            return with_arg[c](buf[pos + 2]), pos + 3
        return self._other(pos)

    def _gs(self, pos: int) -> tuple[Op, int] | None:
        buf, c = self._buf, self._buf[pos + 1]
        if c == ord("!"):
            if not self._have(pos, 3):
                return _NEED_MORE
            return CharSize(buf[pos + 2]), pos + 3
        if c == ord("V"):
            if not self._have(pos, 3):
                return _NEED_MORE
            m = buf[pos + 2]
            if m in (0, 1, 48, 49):
                return Cut(m), pos + 3
            if m in (65, 66, 97, 98, 103, 104):
                if not self._have(pos, 4):
                    return _NEED_MORE
                return Cut(m, buf[pos + 3]), pos + 4
            return Unknown(bytes([GS])), pos + 1
        if c in (ord("L"), ord("W")):  # GS L / GS W nL nH: margin, printing width
            if not self._have(pos, 4):
                return _NEED_MORE
            dots = buf[pos + 2] + 256 * buf[pos + 3]
            return (LeftMargin if c == ord("L") else PrintWidth)(dots), pos + 4
        if c == ord("r"):
            if not self._have(pos, 3):
                return _NEED_MORE
            return StatusTransmit(buf[pos + 2]), pos + 3
        if c == ord("v"):
            return self._raster(pos)
        if c == ord("("):
            return self._gs_paren(pos)
        return self._other(pos)

    def _dle(self, pos: int) -> tuple[Op, int] | None:
        c = self._buf[pos + 1]
        if c not in (0x04, 0x05):  # DLE EOT n, DLE ENQ n
            return Unknown(bytes([DLE])), pos + 1
        if not self._have(pos, 3):
            return _NEED_MORE
        n = self._buf[pos + 2]
        if c == 0x04 and 1 <= n <= 4:
            return StatusRequest(n), pos + 3
        if c == 0x05 and n in (1, 2):
            return Recover(n), pos + 3
        return Unknown(bytes([DLE])), pos + 1

    def _raster(self, pos: int) -> tuple[Op, int] | None:
        buf = self._buf
        if not self._have(pos, 8):
            return _NEED_MORE
        m, xl, xh, yl, yh = buf[pos + 3 : pos + 8]
        w, h = xl + 256 * xh, yl + 256 * yh
        ok = buf[pos + 2] == 0x30 and m in (0, 1, 2, 3, 48, 49, 50, 51)
        if not (ok and 1 <= w <= MAX_RASTER_WIDTH_BYTES and 1 <= h <= MAX_RASTER_HEIGHT):
            return Unknown(bytes([GS])), pos + 1
        end = pos + 8 + w * h
        if end > len(buf):
            return _NEED_MORE
        return Raster(m, w, h, bytes(buf[pos + 8 : end])), end

    def _gs_paren(self, pos: int) -> tuple[Op, int] | None:
        # GS ( fn pL pH ...: every function carries its own length, so even unknown ones skip whole.
        buf = self._buf
        if not self._have(pos, 5):
            return _NEED_MORE
        fn, size = buf[pos + 2], buf[pos + 3] + 256 * buf[pos + 4]
        end = pos + 5 + size
        if fn == ord("k") and size < 2:
            return Unknown(bytes([GS])), pos + 1
        if end > len(buf):
            return _NEED_MORE
        if fn == ord("k"):
            return Code2D(buf[pos + 5], buf[pos + 6], bytes(buf[pos + 7 : end])), end
        return Other(bytes(buf[pos:end])), end

    def _other(self, pos: int) -> tuple[Op, int] | None:
        size = _FIXED_OTHER.get(bytes(self._buf[pos : pos + 2]))
        if size is None:
            return Unknown(bytes([self._buf[pos]])), pos + 1
        if not self._have(pos, size):
            return _NEED_MORE
        return Other(bytes(self._buf[pos : pos + size])), pos + size
