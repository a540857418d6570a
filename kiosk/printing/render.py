"""Render a Certificate to a 1-bit receipt image: every character survives, even 生僻字."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

from kiosk.printing.certificate import Certificate

MARGIN = 24  # dots each side: thermal heads fade at the edges
THRESHOLD = 150  # grey -> black cut-off; a little above mid-grey keeps thin strokes solid
QR_MODULE = 6  # dots per QR module (must stay >= 4 to scan off thermal paper)
QR_MIN_MODULE = 4
QR_BORDER = 4  # quiet zone, in modules
VERIFY_HINT = "扫码或登录官网输入验证码核验"


@lru_cache(maxsize=16)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=0)


class _Layout:
    """Draws top to bottom on a greyscale canvas that grows as needed; tracks y."""

    def __init__(self, width: int, font_path: str) -> None:
        self.width, self.font_path = width, font_path
        self.img = Image.new("L", (width, 1600), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.y = 0

    def font(self, size: int) -> ImageFont.FreeTypeFont:
        return _font(self.font_path, size)

    def _room(self, h: int) -> None:
        if self.y + h > self.img.height:
            bigger = Image.new("L", (self.width, max(self.img.height * 2, self.y + h)), 255)
            bigger.paste(self.img, (0, 0))
            self.img, self.draw = bigger, ImageDraw.Draw(bigger)

    def gap(self, h: int) -> None:
        self.y += h

    def text(
        self, s: str, size: int, *, x: int = MARGIN, align: str = "left", bold: bool = False
    ) -> None:
        """One line of text; advances y by the line height (1.35 x size)."""
        font, stroke = self.font(size), (1 if bold else 0)
        line_h = round(size * 1.35)
        self._room(line_h)
        w = font.getlength(s) + 2 * stroke
        if align == "center":
            x = round((self.width - w) / 2)
        elif align == "right":
            x = round(self.width - MARGIN - w)
        top = self.y + (line_h - size) // 2
        self.draw.text((x, top), s, font=font, fill=0, stroke_width=stroke, stroke_fill=0)
        self.y += line_h

    def wrap(self, s: str, size: int, max_w: int) -> list[str]:
        """Break s into lines no wider than max_w; CJK breaks between any two characters."""
        font, lines, line = self.font(size), [], ""
        for ch in s:
            if line and font.getlength(line + ch) > max_w:
                lines.append(line)
                line = ""
            line += ch
        return [*lines, line] if line or not lines else lines

    def field(self, label: str, value: str, size: int, label_w: int) -> None:
        """'label：value', the value wrapped in its own column so labels line up."""
        self.text(label + "：", size)
        self.y -= round(size * 1.35)
        for line in self.wrap(value, size, self.width - 2 * MARGIN - label_w):
            self.text(line, size, x=MARGIN + label_w)

    def rule(self, thick: int = 2, dashed: bool = False) -> None:
        self._room(thick)
        x0, x1 = MARGIN, self.width - MARGIN
        step = 12 if dashed else x1 - x0
        for x in range(x0, x1, step):
            end = min(x + (7 if dashed else step), x1)
            self.draw.rectangle((x, self.y, end - 1, self.y + thick - 1), fill=0)
        self.y += thick

    def paste(self, img: Image.Image) -> None:
        self._room(img.height)
        self.img.paste(img.convert("L"), ((self.width - img.width) // 2, self.y))
        self.y += img.height

    def finish(self, bottom: int) -> Image.Image:
        page = self.img.crop((0, 0, self.width, self.y + bottom))
        return page.point(lambda v: 255 if v > THRESHOLD else 0, mode="1")


def _qr_image(url: str, max_w: int) -> Image.Image:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=QR_MODULE, border=QR_BORDER
    )
    code.add_data(url)
    code.make(fit=True)
    modules = code.modules_count + 2 * QR_BORDER
    code.box_size = max(QR_MIN_MODULE, min(QR_MODULE, max_w // modules))
    return code.make_image().get_image().convert("1")


def render_certificate(cert: Certificate, font_path: str, width: int = 576) -> Image.Image:
    """The certificate as a mode "1" image exactly `width` dots wide (576 = 80 mm at 203 dpi)."""
    lay = _Layout(width, font_path)
    body = 24
    lay.gap(28)
    lay.text(cert.title, 40, align="center", bold=True)
    lay.gap(10)
    lay.rule(4)
    lay.gap(4)
    lay.rule(1)
    lay.gap(16)

    labels = ["姓名", "证件号码", *(label for label, _ in cert.rows)]
    label_w = min(
        max(int(lay.font(body).getlength(s + "：")) for s in labels) + 4, (width - 2 * MARGIN) // 2
    )
    lay.field("姓名", cert.holder_name, body, label_w)
    lay.field("证件号码", cert.id_number_masked, body, label_w)
    lay.gap(8)
    lay.rule(1, dashed=True)
    lay.gap(10)
    for label, value in cert.rows:
        lay.field(label, value, body, label_w)
    lay.gap(8)
    lay.rule(1, dashed=True)
    lay.gap(10)
    if cert.issuer:
        lay.text(f"出具机构：{cert.issuer}", 22, align="right")
    if cert.issued_at:
        lay.text(f"出具时间：{cert.issued_at}", 22, align="right")

    if cert.verification_code:
        lay.gap(18)
        lay.text("验证码", 22, align="center")
        lay.text(cert.verification_code, 38, align="center", bold=True)
    if cert.verify_url:
        lay.gap(4)
        lay.paste(_qr_image(cert.verify_url, width - 2 * MARGIN))
        lay.text(VERIFY_HINT, 22, align="center")
    return lay.finish(bottom=24)
