"""A queue ticket (排队凭条): the number large, the business, the people ahead, the time
and a QR code to follow the queue on a phone.

Two ways to print it, as the certificate: ``ticket_escpos`` for a printer with its own
Chinese font and native QR (``cn-font-qr``): GB18030 text, the number magnified by
GS !, the QR code by GS ( k, only the rules as raster (about 1 kB, a tenth of a second
at 115200 baud); ``render_ticket`` as one 1-bit image for any ESC/POS printer (about
66 kB, 6 s on the same line).

In an English session every line with words also prints in English beneath its
Chinese: the citizen reads the English, the hall's staff the Chinese."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from drivers.printer import commands as c
from drivers.printer.glyphs import text_width
from kiosk.printing.native import QR_QUIET, _Emitter, _qr_module
from kiosk.printing.render import MARGIN, _Layout, _qr_image

QUEUE_URL = "https://hall.example.gov.cn/queue"  # where the QR code sends the phone
QR_MAX_W = 260  # dots, quiet zone included: a phone reads it from across the counter


@dataclass(frozen=True)
class Words:
    zh: str
    en: str
    en_one: str = ""  # the English for a count (or a counter) of one, where it differs

    def chinese(self, **values: object) -> str:
        return self.zh.format(**values)

    def english(self, one: bool = False, **values: object) -> str:
        return (self.en_one if one and self.en_one else self.en).format(**values)


# The ticket's words, each Chinese line beside its English. Here rather than in
# strings.toml: the catalog hands the screen one language at a time, whereas the ticket
# prints both at once, line by line, in the layout below; and its Chinese is the hall's
# wording, printed unchanged in a Chinese session.
TITLE = Words("排队凭条", "Queue ticket")
WINDOWS = Words("办理窗口：{windows}号", "Counters {windows}", "Counter {windows}")
AHEAD = Words("您前面还有 {n} 人等候", "{n} people ahead of you", "{n} person ahead of you")
TAKEN_AT = Words("取号时间：{at}", "Taken at {at}")
WATCH = Words("请留意叫号，过号请重新取号",
              "Watch for your number; if it is passed, take a new one")
SCAN = Words("扫码查看排队进度", "Scan to follow the queue")


@dataclass(frozen=True)
class QueueTicket:
    """Nothing personal: a number, a business type, a count and a time."""

    number: str  # from the queue device, e.g. "A007"
    business_zh: str
    department_zh: str
    windows: str
    waiting: int  # people ahead, as the device counts them
    taken_at: str  # "2026-11-22 20:15"
    site: str  # the terminal's site, for the QR link
    business_en: str = ""  # "" (an older back end): the English ticket leaves that line out
    department_en: str = ""

    @property
    def url(self) -> str:
        day = self.taken_at[:10].replace("-", "")
        return f"{QUEUE_URL}?site={self.site}&day={day}&ticket={self.number}"


class _Lines:
    """Draws a line of the ticket, wrapped inside the margins (a 58 mm printer is
    narrow: 公安交警 · 驾驶证业务、违法处理 takes two lines there), and in English its
    English beneath, a little smaller."""

    def __init__(self, lay: _Layout, english: bool) -> None:
        self.lay, self.english = lay, english
        self.room = lay.width - 2 * MARGIN - 2  # 2: a bold stroke widens the text

    def __call__(self, zh: str, en: str, size: int, *, bold: bool = False,
                 center: bool = True) -> None:
        align = "center" if center else "left"
        for line in self.wrap(zh, size):
            self.lay.text(line, size, align=align, bold=bold)
        if not self.english:
            return
        en_size = max(20, size - 4)  # 20 dots (2.5 mm) stays readable on thermal paper
        for line in self.wrap(en, en_size) if en else ():
            self.lay.text(line, en_size, align=align, bold=bold)

    def wrap(self, s: str, size: int) -> list[str]:
        """Breaks between words; a word wider than the line (Chinese has no spaces)
        between any two characters."""
        font, lines, line = self.lay.font(size), [], ""
        for word in s.split():
            joined = f"{line} {word}" if line else word
            if font.getlength(joined) <= self.room:
                line = joined
                continue
            if line:
                lines.append(line)
            *full, line = self.lay.wrap(word, size, self.room)
            lines.extend(full)
        return [*lines, line] if line else lines


def render_ticket(ticket: QueueTicket, site_name: str, font_path: str,
                  width: int = 576, lang: str = "zh") -> Image.Image:
    """The ticket as a mode "1" image ``width`` dots wide; ``lang`` "en" adds English."""
    lay = _Layout(width, font_path)
    line = _Lines(lay, english=lang == "en")
    lay.gap(20)
    line(site_name, "", 24)  # the terminal has no English site name to print
    line(TITLE.zh, TITLE.en, 30, bold=True)
    lay.gap(6)
    lay.rule(3)
    lay.gap(10)
    lay.text(ticket.number, 96, align="center", bold=True)
    lay.gap(4)
    dept_en, business_en = ticket.department_en, ticket.business_en
    line(f"{ticket.department_zh} · {ticket.business_zh}",
         f"{dept_en} · {business_en}" if dept_en and business_en else "", 26)
    windows, waiting = ticket.windows, ticket.waiting
    one_counter = windows.strip().isdigit()  # "9", not "6-8"
    line(WINDOWS.chinese(windows=windows), WINDOWS.english(one_counter, windows=windows), 24)
    line(AHEAD.chinese(n=waiting), AHEAD.english(waiting == 1, n=waiting), 28, bold=True)
    lay.gap(6)
    lay.rule(1, dashed=True)
    lay.gap(8)
    at = ticket.taken_at
    line(TAKEN_AT.chinese(at=at), TAKEN_AT.english(at=at), 22, center=False)
    line(WATCH.zh, WATCH.en, 22, center=False)
    lay.gap(10)
    lay.paste(_qr_image(ticket.url, min(width - 2 * MARGIN, QR_MAX_W)))
    line(SCAN.zh, SCAN.en, 22)
    return lay.finish(bottom=24)


NUMBER_SCALE = 4  # GS ! 4x4: 96 dots high, as the raster ticket's number
TITLE_SCALE = 2


class _Say:
    """A line of the ticket in the printer's font, wrapped inside the printing area,
    and in English its English beneath, unmagnified (the font has no smaller size)."""

    def __init__(self, e: _Emitter, english: bool) -> None:
        self.e, self.english = e, english

    def __call__(self, zh: str, en: str, *, scale: int = 1, bold: bool = False,
                 center: bool = True) -> None:
        where = "center" if center else "left"
        self.e.style(where, scale=scale, bold=bold)
        self.lines(zh)
        if self.english and en:
            self.e.style(where, bold=bold)
            self.lines(en)

    def lines(self, text: str) -> None:
        """Wrapped at the area's edge; a newline in ``text`` is a break of its own."""
        for piece in text.split("\n") if text else ():
            for part in self.e.wrapped(piece, self.e.area):
                self.e.line(part)


def _dotted(department: str, business: str, area: int) -> str:
    """"公安交警·驾驶证业务": the font's · fills a 24-dot cell, its own space either side.
    Too wide for the line, it breaks after the dot, not in the middle of a name."""
    whole = f"{department}·{business}"
    return whole if text_width(whole) <= area else f"{department}·\n{business}"


def ticket_escpos(ticket: QueueTicket, site_name: str, font_path: str, width: int = 576,
                  lang: str = "zh", charset: str = "gb2312") -> bytes:
    """The ticket as an ESC/POS body for a printer with a Chinese font and native QR
    (the driver adds ESC @, the feed, GS r 1 and the cut); ``lang`` "en" adds English.
    ``font_path`` draws only a line holding a character outside ``charset``."""
    area = width - 2 * MARGIN
    e = _Emitter(area, font_path, charset)
    say = _Say(e, english=lang == "en")
    e.raw(c.CHINESE_ON + c.left_margin(MARGIN) + c.print_width(area))
    e.gap(20)
    say(site_name, "")  # the terminal has no English site name to print
    say(TITLE.zh, TITLE.en, scale=TITLE_SCALE, bold=True)
    e.gap(6)
    e.rule(3)
    e.gap(10)
    say(ticket.number, "", scale=NUMBER_SCALE, bold=True)
    e.gap(4)
    dept_en, business_en = ticket.department_en, ticket.business_en
    say(_dotted(ticket.department_zh, ticket.business_zh, area),
        _dotted(dept_en, business_en, area) if dept_en and business_en else "")
    windows, waiting = ticket.windows, ticket.waiting
    one_counter = windows.strip().isdigit()
    say(WINDOWS.chinese(windows=windows), WINDOWS.english(one_counter, windows=windows))
    say(AHEAD.chinese(n=waiting), AHEAD.english(waiting == 1, n=waiting), bold=True)
    e.gap(6)
    e.rule(1, dashed=True)
    e.gap(8)
    at = ticket.taken_at
    say(TAKEN_AT.chinese(at=at), TAKEN_AT.english(at=at), center=False)
    say(WATCH.zh, WATCH.en, center=False)
    module = _qr_module(ticket.url, min(area, QR_MAX_W))
    e.style("center")
    e.gap(QR_QUIET * module)
    e.raw(c.qr(ticket.url.encode("ascii"), module=module, ec="M"))
    e.gap(QR_QUIET * module // 2)
    say(SCAN.zh, SCAN.en)
    e.style("left")
    return bytes(e.out)
