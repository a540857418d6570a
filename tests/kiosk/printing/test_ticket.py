"""The queue ticket renders at the printer's width, with a QR code a phone can read."""

from __future__ import annotations

import zxingcpp

from kiosk.printing.ticket import QueueTicket, render_ticket
from tests.kiosk.printing.test_render import FONT

TICKET = QueueTicket(number="C012", business_zh="驾驶证业务、违法处理", department_zh="公安交警",
                     windows="6-8", waiting=11, taken_at="2026-11-22 20:15", site="futian-hall")


def test_a_ticket_is_one_bit_at_the_printer_width_and_its_qr_reads():
    for width in (576, 384):
        page = render_ticket(TICKET, "福田区24小时政务服务自助点", FONT, width)
        assert page.mode == "1" and page.width == width and 500 < page.height < 1100
        codes = zxingcpp.read_barcodes(page.convert("L"))
        assert [c.text for c in codes] == [
            "https://hall.example.gov.cn/queue?site=futian-hall&day=20261122&ticket=C012"]
