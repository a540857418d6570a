"""Turn parsed ESC/POS ops back into paper: one image per cut, as a printer would print it.

Text is drawn in the printer's fixed cells (``glyphs``): 24 dots for a double-byte
(GB18030) character, 12 for a single-byte one, magnified by GS ! and wrapped at the
printing area's right edge. GS L / GS W set the area, ESC a aligns text, raster and QR
codes inside it. Native QR codes (GS ( k) are drawn with the stored module size and
error-correction level.
"""

from __future__ import annotations

import qrcode
from PIL import Image

from drivers.printer import ops as p
from drivers.printer.glyphs import CELL_H, DEFAULT_FONT, cell_width, draw_line

__all__ = ["DEFAULT_FONT", "raster_to_image", "render_pages"]

DEFAULT_LINE_SPACING = 30  # dots; ESC 2 restores it (about 1/6 inch at 203 dpi)
TEXT_SIZE = CELL_H
_QR_EC = {48: qrcode.constants.ERROR_CORRECT_L, 49: qrcode.constants.ERROR_CORRECT_M,
          50: qrcode.constants.ERROR_CORRECT_Q, 51: qrcode.constants.ERROR_CORRECT_H}


def raster_to_image(op: p.Raster) -> Image.Image:
    """A GS v 0 block as a mode "1" image (1 bit = black dot, MSB = leftmost dot)."""
    size = (op.width_bytes * 8, op.height)
    return Image.frombytes("1", size, op.data, "raw", "1;I")  # "1;I": set bit = black


class _Paper:
    """The printer's state while it prints one page."""

    def __init__(self, width: int, font_path: str) -> None:
        self.width, self.font_path = width, font_path
        self.blocks: list[tuple[Image.Image, int, int, int]] = []  # image, align, left, area
        self.line: list[str] = []
        self.reset()

    def reset(self) -> None:  # ESC @
        self.align, self.bold, self.mode, self.size = 0, False, 0, 0
        self.spacing = DEFAULT_LINE_SPACING
        self.left, self.area = 0, self.width
        self.qr_data, self.qr_module, self.qr_ec = b"", 3, 48

    def _add(self, img: Image.Image) -> None:
        area = max(1, min(self.area, self.width - self.left))
        self.blocks.append((img, self.align, self.left, area))

    def blank(self, rows: int) -> None:
        if rows > 0:
            self.blocks.append((Image.new("1", (self.width, rows), 255), 0, 0, self.width))

    def _scale(self) -> tuple[int, int]:
        sw, sh = (self.size >> 4 & 0x07) + 1, (self.size & 0x07) + 1
        if self.mode & 0x20:  # ESC ! double width
            sw = max(sw, 2)
        if self.mode & 0x10:  # ESC ! double height
            sh = max(sh, 2)
        return sw, sh

    def print_line(self) -> None:
        """Print the buffered text, wrapped at the area's edge (an empty buffer feeds a line)."""
        text = "".join(self.line)
        self.line.clear()
        sw, sh = self._scale()
        height = max(self.spacing, TEXT_SIZE * sh + 4)
        if not text:
            return self.blank(height)
        bold = self.bold or bool(self.mode & 0x08)
        area = max(1, min(self.area, self.width - self.left))
        for piece in _wrap(text, area, sw):
            glyphs = draw_line(piece, self.font_path, scale_w=sw, scale_h=sh, bold=bold)
            row = Image.new("1", (min(glyphs.width, area), height), 255)
            row.paste(glyphs, (0, height - glyphs.height - (height - TEXT_SIZE * sh) // 2))
            self._add(row)

    def flush(self) -> None:
        if self.line:
            self.print_line()

    def add_image(self, img: Image.Image) -> None:
        self.flush()
        self._add(img)

    def qr(self, op: p.Code2D) -> None:
        if op.cn != 49 or not op.data:
            return
        if op.fn == 80 and op.data[:1] == b"0":  # store: m = 48, then the payload
            self.qr_data = op.data[1:]
        elif op.fn == 67:  # module size in dots
            self.qr_module = max(1, min(op.data[0], 16))
        elif op.fn == 69 and op.data[0] in _QR_EC:
            self.qr_ec = op.data[0]
        elif op.fn == 81 and self.qr_data:  # print the stored symbol
            code = qrcode.QRCode(box_size=self.qr_module, border=0,
                                 error_correction=_QR_EC[self.qr_ec])
            try:
                code.add_data(self.qr_data)
                code.make(fit=True)
            except ValueError:  # more data than a QR symbol holds: a printer prints nothing
                return
            self.add_image(code.make_image().get_image().convert("1"))

    def image(self) -> Image.Image:
        self.flush()
        width = max([self.width, *(img.width for img, *_ in self.blocks)])
        height = max(1, sum(img.height for img, *_ in self.blocks))
        page = Image.new("1", (width, height), 255)
        y = 0
        for img, align, left, area in self.blocks:
            room = max(area - img.width, 0)
            x = left + {1: room // 2, 49: room // 2, 2: room, 50: room}.get(align, 0)
            page.paste(img, (min(x, max(width - img.width, 0)), y))
            y += img.height
        return page


def _wrap(text: str, area: int, scale_w: int) -> list[str]:
    """Split text where the printer would: the next character no longer fits the area."""
    lines, line, used = [], "", 0
    for ch in text:
        w = cell_width(ch) * scale_w
        if line and used + w > area:
            lines.append(line)
            line, used = "", 0
        line, used = line + ch, used + w
    return [*lines, line]


def render_pages(
    ops: list[p.Op], width: int = 576, font_path: str = DEFAULT_FONT
) -> list[Image.Image]:
    """Stack everything printed between cuts into one image per page.

    A trailing page without a cut is returned too when anything was printed on it.
    """
    pages: list[Image.Image] = []
    paper = _Paper(width, font_path)
    for op in ops:
        match op:
            case p.Init():  # ESC @ clears the print buffer: unprinted text is dropped
                paper.line.clear()
                paper.reset()
            case p.Align(n):
                paper.align = n
            case p.Bold(on):
                paper.bold = on
            case p.PrintMode(n):
                paper.mode = n
            case p.CharSize(n):
                paper.size = n
            case p.LineSpacing(dots):
                paper.spacing = DEFAULT_LINE_SPACING if dots is None else dots
            case p.LeftMargin(dots):
                paper.left = min(dots, width - 1)
            case p.PrintWidth(dots):
                paper.area = max(dots, 1)
            case p.Text():
                paper.line.append(op.text)
            case p.LineFeed():
                paper.print_line()
            case p.Feed(lines):
                paper.flush()
                paper.blank(lines * paper.spacing)
            case p.FeedDots(dots):
                paper.flush()
                paper.blank(dots)
            case p.Raster():
                paper.add_image(raster_to_image(op))
            case p.Code2D():
                paper.qr(op)
            case p.Cut(_, n):
                paper.flush()
                paper.blank(n or 0)  # GS V 65/66 n: feed n dots, then cut
                pages.append(paper.image())
                paper.blocks.clear()
    if paper.blocks or paper.line:
        pages.append(paper.image())
    return pages
