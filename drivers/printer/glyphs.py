"""Text as a printer's font draws it: fixed 24-dot cells, 12 dots for single-byte characters.

The simulator draws received text with it, and the kiosk uses the same code to rasterise
a line its printer's font cannot draw (a rare character in a name), so that line looks
like the printer's own text.
"""

from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
CELL_H = 24  # the 24x24 Chinese font; single-byte characters are 12x24
HALF_W, FULL_W = 12, 24


@lru_cache(maxsize=8)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(path, size, index=0)
    except OSError:  # no CJK font installed: still show something
        return ImageFont.load_default(size)


@lru_cache(maxsize=512)
def _glyph(ch: str, font_path: str, cell: int, bold: bool) -> Image.Image:
    """One character centred in its cell. A glyph wider than the cell (W, M in a 12-dot
    cell) is narrowed to fit, as a printer's 12x24 font is drawn narrow, rather than
    spilling onto its neighbours."""
    font = _font(font_path, CELL_H - 2)  # a 22 px glyph in a 24-dot cell leaves the gap
    glyph_w = font.getlength(ch) + (1 if bold else 0)
    drawn_w = max(cell, int(glyph_w + 0.999))
    img = Image.new("L", (drawn_w, CELL_H), 255)
    draw = ImageDraw.Draw(img)
    for dx in (0, 1) if bold else (0,):  # emphasised: the same dots struck twice, offset
        draw.text(((drawn_w - glyph_w) / 2 + dx, 1), ch, font=font, fill=0)
    if drawn_w > cell - 1:
        img = img.resize((cell - 1, CELL_H), Image.Resampling.LANCZOS)  # keep a 1-dot gap
        pad = Image.new("L", (cell, CELL_H), 255)
        pad.paste(img, (0, 0))
        img = pad
    return img


def cell_width(ch: str) -> int:
    """12 dots for a single-byte character, 24 for a double-byte one (as the printer decides)."""
    try:
        return HALF_W if len(ch.encode("gb18030")) == 1 else FULL_W
    except UnicodeEncodeError:
        return FULL_W


def text_width(text: str, scale_w: int = 1) -> int:
    return sum(cell_width(ch) for ch in text) * scale_w


def draw_line(
    text: str,
    font_path: str = DEFAULT_FONT,
    *,
    scale_w: int = 1,
    scale_h: int = 1,
    bold: bool = False,
) -> Image.Image:
    """One line of text as a mode "1" image, ``text_width`` wide and 24 * scale_h high.

    Magnified text is the 1x line with every dot repeated, as a printer magnifies.
    """
    width = max(text_width(text), 1)
    img = Image.new("L", (width, CELL_H), 255)
    x = 0
    for ch in text:
        w = cell_width(ch)
        if not ch.isspace():
            img.paste(_glyph(ch, font_path, w, bold), (x, 0))
        x += w
    line = img.point(lambda v: 0 if v < 128 else 255, mode="1")
    if scale_w > 1 or scale_h > 1:
        line = line.resize((width * scale_w, CELL_H * scale_h), Image.Resampling.NEAREST)
    return line
