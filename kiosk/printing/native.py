"""Emit a Certificate as ESC/POS text and a native QR code, for printers with a Chinese font.

The counterpart of ``render.py`` (everything as one raster image). Here the printer draws
the text from its own font (GB18030, 24-dot cells) and the QR code from GS ( k; only what
its font cannot draw goes as raster: a line holding a character outside the profile's
charset (GB2312: e.g. 喆, 䶮 in names) and the rules. A 576-dot certificate is then
about 3 kB instead of 65 kB: tens of milliseconds on a 115200-baud line, not seconds.
The raster lines are drawn with the printer's cell layout, so they look like its text.
"""

from __future__ import annotations

import qrcode
from PIL import Image, ImageDraw

from drivers.printer import commands as c
from drivers.printer.glyphs import CELL_H, HALF_W, draw_line, text_width
from kiosk.printing.certificate import Certificate
from kiosk.printing.render import VERIFY_HINT

MARGIN = 24  # dots each side, as in the raster layout: thermal heads fade at the edges
LINE_H = 30  # the printer's default line spacing
QR_MODULE, QR_MIN_MODULE, QR_QUIET = 6, 4, 4  # dots per module; quiet zone in modules


class _Emitter:
    def __init__(self, area: int, font_path: str, charset: str) -> None:
        self.area, self.font_path, self.charset = area, font_path, charset
        self.out = bytearray()
        self.scale = 1
        self.raster_lines = 0  # lines the font could not draw (for tests and logs)

    def raw(self, data: bytes) -> None:
        self.out += data

    def gap(self, dots: int) -> None:
        self.out += c.feed_dots(dots)

    def style(self, where: str = "left", scale: int = 1, bold: bool = False) -> None:
        self.scale = scale
        self.out += c.align(where) + c.char_size(scale, scale) + c.bold(bold)
        self._bold = bold

    def line(self, text: str) -> None:
        """One line, in the font if it can draw every character, else as a raster line."""
        if all(c.font_can_print(ch, self.charset) for ch in text):
            self.out += c.text_line(text)
            return
        self.raster_lines += 1
        glyphs = draw_line(text, self.font_path, scale_w=self.scale, scale_h=self.scale,
                           bold=self._bold)
        height = max(LINE_H, CELL_H * self.scale + 4)
        row = Image.new("1", (min(glyphs.width, self.area), height), 255)
        row.paste(glyphs, (0, height - glyphs.height - (height - CELL_H * self.scale) // 2))
        self.out += c.raster(row)

    def wrapped(self, text: str, width: int) -> list[str]:
        """Lines no wider than width: break between any two CJK characters, but keep a
        run without spaces ("累计128个月") whole when a space earlier on the line allows."""
        lines, line = [], ""
        for ch in text:
            if line and text_width(line + ch) * self.scale > width:
                head, space, tail = line.rpartition(" ")
                if space and head.strip():
                    lines.append(head.rstrip())
                    line = tail
                else:
                    lines.append(line)
                    line = ""
                line = line.lstrip() if not line.strip() else line
            line += ch
        return [*lines, line]

    def rule(self, thick: int, dashed: bool = False) -> None:
        img = Image.new("1", (self.area, thick), 255 if dashed else 0)
        if dashed:
            draw = ImageDraw.Draw(img)
            for x in range(0, self.area, 12):
                draw.rectangle((x, 0, x + 6, thick - 1), fill=0)
        self.out += c.align("left") + c.raster(img)

    def field(self, label: str, value: str, label_w: int) -> None:
        head = label + "："
        pad = " " * ((label_w - text_width(head)) // HALF_W)
        indent = " " * (label_w // HALF_W)
        for i, part in enumerate(self.wrapped(value, self.area - label_w)):
            self.line((head + pad if i == 0 else indent) + part)


def _qr_module(url: str, area: int) -> int:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    return max(QR_MIN_MODULE, min(QR_MODULE, area // (code.modules_count + 2 * QR_QUIET)))


def certificate_escpos(
    cert: Certificate, font_path: str, width: int = 576, charset: str = "gb2312"
) -> bytes:
    """The certificate as an ESC/POS body (the driver adds ESC @, feed, GS r 1 and the cut)."""
    area = width - 2 * MARGIN
    e = _Emitter(area, font_path, charset)
    e.raw(c.CHINESE_ON + c.left_margin(MARGIN) + c.print_width(area))
    e.gap(28)
    e.style("center", scale=2, bold=True)
    for part in e.wrapped(cert.title, area):
        e.line(part)
    e.style("left")
    e.gap(10)
    e.rule(4)
    e.gap(4)
    e.rule(1)
    e.gap(16)

    labels = ["姓名", "证件号码", *(label for label, _ in cert.rows)]
    label_w = min(max(text_width(s + "：") for s in labels) + HALF_W, area // 2 // HALF_W * HALF_W)
    e.field("姓名", cert.holder_name, label_w)
    e.field("证件号码", cert.id_number_masked, label_w)
    e.gap(8)
    e.rule(1, dashed=True)
    e.gap(10)
    for label, value in cert.rows:
        e.field(label, value, label_w)
    e.gap(8)
    e.rule(1, dashed=True)
    e.gap(10)
    e.style("right")
    for line in (f"出具机构：{cert.issuer}" if cert.issuer else "",
                 f"出具时间：{cert.issued_at}" if cert.issued_at else ""):
        for part in e.wrapped(line, area) if line else []:
            e.line(part)

    if cert.verification_code:
        e.gap(18)
        e.style("center")
        e.line("验证码")
        e.style("center", scale=2, bold=True)
        for part in e.wrapped(cert.verification_code, area):
            e.line(part)
    if cert.verify_url:
        module = _qr_module(cert.verify_url, area)
        e.style("center")
        e.gap(QR_QUIET * module)
        e.raw(c.qr(cert.verify_url.encode("ascii"), module=module, ec="M"))
        e.gap(QR_QUIET * module // 2)
        e.line(VERIFY_HINT)
    e.style("left")
    return bytes(e.out)
