"""A queue ticket (排队凭条) as a 1-bit receipt image: the number large, the business,
the people ahead, the time and a QR code to follow the queue on a phone.

In an English session every line with words also prints in English beneath its
Chinese: the citizen reads the English, the hall's staff the Chinese."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from kiosk.printing.render import MARGIN, _Layout, _qr_image

QUEUE_URL = "https://hall.example.gov.cn/queue"  # where the QR code sends the phone


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
    lay.paste(_qr_image(ticket.url, min(width - 2 * MARGIN, 260)))
    line(SCAN.zh, SCAN.en, 22)
    return lay.finish(bottom=24)
