"""Parsed ESC/POS commands: one small frozen dataclass per command."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Init:  # ESC @
    pass


@dataclass(frozen=True)
class Align:  # ESC a n: 0/48 left, 1/49 centre, 2/50 right
    n: int


@dataclass(frozen=True)
class Bold:  # ESC E n
    on: bool


@dataclass(frozen=True)
class PrintMode:  # ESC ! n: bit 3 bold, bit 4 double height, bit 5 double width
    n: int


@dataclass(frozen=True)
class CharSize:  # GS ! n: high nibble width-1, low nibble height-1
    n: int


@dataclass(frozen=True)
class LineFeed:
    pass


@dataclass(frozen=True)
class CarriageReturn:
    pass


@dataclass(frozen=True)
class Text:
    data: bytes

    @property
    def text(self) -> str:
        return self.data.decode("gb18030", errors="replace")


@dataclass(frozen=True)
class Raster:  # GS v 0: width_bytes * height bytes, 1 bit = black dot, MSB = leftmost
    mode: int
    width_bytes: int
    height: int
    data: bytes


@dataclass(frozen=True)
class Cut:  # GS V m, or GS V m n (feed n then cut) when m is 65/66/97/98/103/104
    mode: int
    n: int | None = None


@dataclass(frozen=True)
class StatusRequest:  # DLE EOT n: answered at once, even mid-job
    n: int


@dataclass(frozen=True)
class StatusTransmit:  # GS r n: answered in buffer order, not at all while the printer is offline
    n: int


@dataclass(frozen=True)
class Recover:  # DLE ENQ n: real-time; 1 resume after an error, 2 clear the buffers and resume
    n: int


@dataclass(frozen=True)
class LeftMargin:  # GS L nL nH: dots from the left edge
    dots: int


@dataclass(frozen=True)
class PrintWidth:  # GS W nL nH: width of the printing area in dots
    dots: int


@dataclass(frozen=True)
class Code2D:  # GS ( k pL pH cn fn data: cn 49 = QR; fn 80 store, 81 print
    cn: int
    fn: int
    data: bytes


@dataclass(frozen=True)
class Feed:  # ESC d n: print and feed n lines
    lines: int


@dataclass(frozen=True)
class FeedDots:  # ESC J n: print and feed n dots
    dots: int


@dataclass(frozen=True)
class LineSpacing:  # ESC 3 n (dots); ESC 2 (None) restores the default
    dots: int | None


@dataclass(frozen=True)
class Other:  # a known command we skip whole (code page, underline, ...)
    data: bytes


@dataclass(frozen=True)
class Unknown:  # one byte we could not place; parsing resumes at the next byte
    data: bytes


Op = (
    Init | Align | Bold | PrintMode | CharSize | LineFeed | CarriageReturn | Text | Raster | Cut
    | StatusRequest | StatusTransmit | Recover | LeftMargin | PrintWidth | Code2D | Feed | FeedDots
    | LineSpacing | Other | Unknown
)
