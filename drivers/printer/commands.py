"""ESC/POS command builders (pure): what a driver sends, byte for byte.

The parser in ``protocol`` reads every one of these back; the tests hold golden vectors.
"""

from __future__ import annotations

from PIL import Image

ESC, GS, DLE, FS = b"\x1b", b"\x1d", b"\x10", b"\x1c"

INIT = ESC + b"@"
CHINESE_ON = FS + b"&"  # double-byte (GB18030) characters from the printer's own font
CHINESE_OFF = FS + b"."
CUT_FULL = GS + b"V\x00"
SYNC = GS + b"r\x01"  # answered in buffer order: "everything before me has printed"
CLEAR_AND_RECOVER = DLE + b"\x05\x02"  # DLE ENQ 2: drop the buffers, leave the error state
RASTER_FRAGMENT = 960  # rows per GS v 0 block, as python-escpos sends them
QR_EC = {"L": 48, "M": 49, "Q": 50, "H": 51}


def status_request(n: int) -> bytes:
    """DLE EOT n: real-time status, answered at once even mid-job (1 printer .. 4 paper)."""
    if not 1 <= n <= 4:
        raise ValueError("DLE EOT n is 1..4")
    return DLE + b"\x04" + bytes([n])


STATUS_ALL = b"".join(status_request(n) for n in (1, 2, 3, 4))


def align(where: str) -> bytes:
    return ESC + b"a" + bytes([{"left": 0, "center": 1, "right": 2}[where]])


def bold(on: bool) -> bytes:
    return ESC + b"E" + bytes([1 if on else 0])


def char_size(width: int = 1, height: int = 1) -> bytes:
    """GS ! n: magnify characters 1..8 times in each direction."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("character magnification is 1..8")
    return GS + b"!" + bytes([(width - 1) << 4 | (height - 1)])


def left_margin(dots: int) -> bytes:
    return GS + b"L" + dots.to_bytes(2, "little")


def print_width(dots: int) -> bytes:
    return GS + b"W" + dots.to_bytes(2, "little")


def feed(lines: int) -> bytes:
    return ESC + b"d" + bytes([lines])


def feed_dots(dots: int) -> bytes:
    """ESC J n: print what is buffered and feed n dots (fine vertical spacing)."""
    return ESC + b"J" + bytes([dots])


def text_line(text: str) -> bytes:
    """One line in the printer's font: GB18030 (a character it cannot encode is an error)."""
    if any(ch in text for ch in "\n\r") or any(ord(ch) < 0x20 for ch in text):
        raise ValueError("a text line has no control characters")
    return text.encode("gb18030") + b"\n"


def font_can_print(ch: str, charset: str = "gb2312") -> bool:
    """True if a Chinese printer font surely has ch: printable ASCII or in ``charset``.

    GB2312's level-1/2 set is what every Chinese font ROM carries; rarer characters
    (喆, 䶮, 𠀀: common in names) are sent as raster instead. The question is whether the
    code the printer receives (GB18030, as ``text_line`` sends it) lies in ``charset``:
    Python's gb2312 codec maps A1A4 and A1AA to ・ and ― rather than to the · and — that
    GB18030 sends there, the same glyphs in the printer's font.
    """
    if " " <= ch <= "~":
        return True
    try:
        encoded = ch.encode("gb18030")
        encoded.decode(charset)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return len(encoded) == 2


def raster(img: Image.Image, fragment: int = RASTER_FRAGMENT) -> bytes:
    """GS v 0 blocks for a 1-bit image (1 bit = black dot, MSB leftmost; rows padded)."""
    img = img.convert("1")
    w_bytes = (img.width + 7) // 8
    if img.width % 8:
        padded = Image.new("1", (w_bytes * 8, img.height), 255)
        padded.paste(img, (0, 0))
        img = padded
    out = bytearray()
    for top in range(0, img.height, fragment):
        part = img.crop((0, top, img.width, min(top + fragment, img.height)))
        out += GS + b"v0\x00" + w_bytes.to_bytes(2, "little") + part.height.to_bytes(2, "little")
        out += part.tobytes("raw", "1;I")  # "1;I": a set bit is a black dot
    return bytes(out)


def qr(data: bytes, module: int = 6, ec: str = "M") -> bytes:
    """Native QR (GS ( k, cn 49): model 2, module size, EC level, store, print."""
    if not 1 <= module <= 16:
        raise ValueError("QR module size is 1..16 dots")
    if not 1 <= len(data) <= 7089:
        raise ValueError("QR data is 1..7089 bytes")

    def fn(code: int, params: bytes) -> bytes:
        size = len(params) + 2
        return GS + b"(k" + size.to_bytes(2, "little") + b"1" + bytes([code]) + params

    return (
        fn(65, b"2\x00")  # model 2
        + fn(67, bytes([module]))
        + fn(69, bytes([QR_EC[ec]]))
        + fn(80, b"0" + data)  # store
        + fn(81, b"0")  # print
    )
