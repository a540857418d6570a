"""Draws the notice with Pillow and puts it on the framebuffer, in a PNG, or as text."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from outofservice.notice import Notice

BACKGROUND, FOREGROUND = (20, 36, 64), (255, 255, 255)


def render(notice: Notice, size: tuple[int, int]) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size, BACKGROUND)
    pen = ImageDraw.Draw(image)
    base = max(12, min(width, height) // 28)
    lines = notice.lines()
    fonts = [_font(notice.font, base * scale) for _text, scale in lines]
    heights = [pen.textbbox((0, 0), text, font=f)[3] + base // 2
               for (text, _s), f in zip(lines, fonts, strict=True)]
    y = max(0, (height - sum(heights)) // 2)
    for (text, _scale), font, line_h in zip(lines, fonts, heights, strict=True):
        text_w = pen.textlength(text, font=font)
        pen.text(((width - text_w) / 2, y), text, font=font, fill=FOREGROUND)
        y += line_h
    return image


def _font(path: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.load_default(size)


class Framebuffer:
    """A Linux fbdev (/dev/fb0): geometry from sysfs, pixels written row by row."""

    def __init__(self, device: Path):
        self.device = device
        sysfs = Path("/sys/class/graphics") / device.name
        w, h = (int(v) for v in (sysfs / "virtual_size").read_text().split(","))
        self.size = (w, h)
        self.bpp = int((sysfs / "bits_per_pixel").read_text())
        self.stride = int((sysfs / "stride").read_text())
        if self.bpp not in (16, 32):
            raise OSError(f"{device}: {self.bpp} bits per pixel is not supported")

    def show(self, image: Image.Image) -> None:
        mode = "BGRX" if self.bpp == 32 else "BGR;16"
        row = self.size[0] * self.bpp // 8
        data = image.convert("RGB").resize(self.size).tobytes("raw", mode)
        with open(self.device, "r+b", buffering=0) as fb:
            for y in range(self.size[1]):
                fb.seek(y * self.stride)
                fb.write(data[y * row:(y + 1) * row])


def show_text(notice: Notice, tty: Path) -> None:
    """No framebuffer: the notice as plain text on the console (Latin lines only)."""
    text = "\n".join(line for line, _s in notice.lines() if line.isascii())
    fd = os.open(tty, os.O_WRONLY | os.O_NOCTTY)
    try:
        os.write(fd, b"\033[2J\033[H\033[?25l" + text.encode() + b"\n")  # clear, hide cursor
    finally:
        os.close(fd)
