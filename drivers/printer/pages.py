"""Turn parsed ESC/POS ops back into paper: one image per cut, as a printer would print it."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

from drivers.printer import ops as p

DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
DEFAULT_LINE_SPACING = 30  # dots; ESC 2 restores it (about 1/6 inch at 203 dpi)
TEXT_SIZE = 24  # px: the printer's 24-dot Chinese font


def raster_to_image(op: p.Raster) -> Image.Image:
    """A GS v 0 block as a mode "1" image (1 bit = black dot, MSB = leftmost dot)."""
    size = (op.width_bytes * 8, op.height)
    return Image.frombytes("1", size, op.data, "raw", "1;I")  # "1;I": set bit = black


@lru_cache(maxsize=8)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(path, size, index=0)
    except OSError:  # no CJK font installed: still show something
        return ImageFont.load_default(size)


class _Paper:
    """The printer's state while it prints one page."""

    def __init__(self, width: int, font_path: str) -> None:
        self.width, self.font_path = width, font_path
        self.blocks: list[tuple[Image.Image, int]] = []  # (image, justification)
        self.line: list[str] = []
        self.reset()

    def reset(self) -> None:  # ESC @
        self.align, self.bold, self.mode, self.size = 0, False, 0, 0
        self.spacing = DEFAULT_LINE_SPACING
        self.qr_data, self.qr_module = b"", 3

    def blank(self, rows: int) -> None:
        if rows > 0:
            self.blocks.append((Image.new("1", (self.width, rows), 255), 0))

    def print_line(self) -> None:
        """Print the buffered text (an empty buffer still advances one line)."""
        text = "".join(self.line)
        self.line.clear()
        double = bool(self.mode & 0x10)
        scale = max((self.size & 0x0F) + 1, 2 if double else 1)
        font = _font(self.font_path, TEXT_SIZE * scale)
        height = max(self.spacing, TEXT_SIZE * scale + 4)
        if not text:
            return self.blank(height)
        stroke = 1 if (self.bold or self.mode & 0x08) else 0
        draw_w = int(font.getlength(text)) + 2 * stroke + 1
        img = Image.new("1", (min(max(draw_w, 1), self.width), height), 255)
        draw = ImageDraw.Draw(img)
        draw.text((0, 0), text, font=font, fill=0, stroke_width=stroke, stroke_fill=0)
        self.blocks.append((img, self.align))

    def flush(self) -> None:
        if self.line:
            self.print_line()

    def add_image(self, img: Image.Image) -> None:
        self.flush()
        self.blocks.append((img, self.align))

    def qr(self, op: p.Code2D) -> None:
        if op.cn != 49:
            return
        if op.fn == 80 and op.data[:1] == b"0":  # store: m = 48, then the payload
            self.qr_data = op.data[1:]
        elif op.fn == 67 and op.data:  # module size in dots
            self.qr_module = max(1, min(op.data[0], 16))
        elif op.fn == 81 and self.qr_data:  # print the stored symbol
            code = qrcode.QRCode(box_size=self.qr_module, border=0)
            code.add_data(self.qr_data)
            self.add_image(code.make_image().get_image().convert("1"))

    def image(self) -> Image.Image:
        self.flush()
        width = max([self.width, *(img.width for img, _ in self.blocks)])
        height = max(1, sum(img.height for img, _ in self.blocks))
        page = Image.new("1", (width, height), 255)
        y = 0
        for img, align in self.blocks:
            centre, right = (width - img.width) // 2, width - img.width
            x = {1: centre, 49: centre, 2: right, 50: right}.get(align, 0)
            page.paste(img, (x, y))
            y += img.height
        return page


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
            case p.Init():
                paper.flush()
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
            case p.Text():
                paper.line.append(op.text)
            case p.LineFeed():
                paper.print_line()
            case p.Feed(lines):
                paper.flush()
                paper.blank(lines * paper.spacing)
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
