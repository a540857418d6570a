"""A queue ticket (排队凭条) as a 1-bit receipt image: the number large, the business,
the people ahead, the time and a QR code to follow the queue on a phone."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from kiosk.printing.render import MARGIN, _Layout, _qr_image

QUEUE_URL = "https://hall.example.gov.cn/queue"  # where the QR code sends the phone


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

    @property
    def url(self) -> str:
        day = self.taken_at[:10].replace("-", "")
        return f"{QUEUE_URL}?site={self.site}&day={day}&ticket={self.number}"


def render_ticket(ticket: QueueTicket, site_name: str, font_path: str,
                  width: int = 576) -> Image.Image:
    lay = _Layout(width, font_path)
    lay.gap(20)
    lay.text(site_name, 24, align="center")
    lay.text("排队凭条", 30, align="center", bold=True)
    lay.gap(6)
    lay.rule(3)
    lay.gap(10)
    lay.text(ticket.number, 96, align="center", bold=True)
    lay.gap(4)
    lay.text(f"{ticket.department_zh} · {ticket.business_zh}", 26, align="center")
    lay.text(f"办理窗口：{ticket.windows}号", 24, align="center")
    lay.text(f"您前面还有 {ticket.waiting} 人等候", 28, align="center", bold=True)
    lay.gap(6)
    lay.rule(1, dashed=True)
    lay.gap(8)
    lay.text(f"取号时间：{ticket.taken_at}", 22, x=MARGIN)
    lay.text("请留意叫号，过号请重新取号", 22, x=MARGIN)
    lay.gap(10)
    lay.paste(_qr_image(ticket.url, min(width - 2 * MARGIN, 260)))
    lay.text("扫码查看排队进度", 22, align="center")
    return lay.finish(bottom=24)
