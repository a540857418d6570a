"""The queue ticket renders at the printer's width, with a QR code a phone can read,
inside the margins; in English beside its Chinese; in Chinese, where it fits, exactly as
it always did."""

from __future__ import annotations

import hashlib

import PIL
import pytest
import zxingcpp
from PIL import Image, ImageOps, features

from kiosk.printing.render import MARGIN, _Layout, _qr_image
from kiosk.printing.ticket import AHEAD, WINDOWS, QueueTicket, render_ticket
from tests.kiosk.printing.test_render import FONT

SITE = "福田区24小时政务服务自助点"
TICKET = QueueTicket(number="C012", business_zh="驾驶证业务、违法处理", department_zh="公安交警",
                     windows="6-8", waiting=11, taken_at="2026-11-22 20:15", site="futian-hall",
                     business_en="Driving licences, violations", department_en="Traffic police")
URL = "https://hall.example.gov.cn/queue?site=futian-hall&day=20261122&ticket=C012"
# sha256 of the 80 mm Chinese ticket's raster as rendered before the ticket had English;
# only comparable with the Pillow, FreeType and font it was computed with.
GOLDEN_ZH = {576: "fc2c473b59fe76ef8cca4ad0523eaa7eb6d15a0efbaf843045481d78223f19a9"}
GOLDEN_WITH = ("10.4.0", "2.13.2")  # Pillow, FreeType


def test_a_ticket_is_one_bit_at_the_printer_width_and_its_qr_reads():
    for width in (576, 384):
        page = render_ticket(TICKET, SITE, FONT, width)
        assert page.mode == "1" and page.width == width and 500 < page.height < 1100
        codes = zxingcpp.read_barcodes(page.convert("L"))
        assert [c.text for c in codes] == [URL]


def inked(page: Image.Image) -> tuple[int, int, int, int]:
    """The box around every black dot: (left, top, right, bottom)."""
    return ImageOps.invert(page.convert("L")).getbbox()


def test_an_english_ticket_adds_english_lines_inside_the_margins():
    longest = QueueTicket(
        number="A123", business_zh="参保登记、社保卡补换", department_zh="社会保险",
        windows="1-3", waiting=1234, taken_at="2026-11-22 20:15", site="futian-hall",
        business_en="Insurance registration, card replacement and all a long name may hold",
        department_en="Social security")
    for ticket in (TICKET, longest):
        for width in (576, 384):
            chinese = render_ticket(ticket, SITE, FONT, width)
            english = render_ticket(ticket, SITE, FONT, width, lang="en")
            assert english.mode == "1" and english.width == width
            assert english.height > chinese.height + 6 * 20  # a line of English under each
            left, _top, right, bottom = inked(english)
            assert left >= MARGIN and right <= width - MARGIN and bottom < english.height
            codes = zxingcpp.read_barcodes(english.convert("L"))
            assert [c.text for c in codes] == [ticket.url]


def test_english_counts_counters_and_missing_names():
    assert AHEAD.english(True, n=1) == "1 person ahead of you"
    assert AHEAD.english(False, n=0) == "0 people ahead of you"
    assert WINDOWS.english(True, windows="9") == "Counter 9"
    assert WINDOWS.english(False, windows="1-3") == "Counters 1-3"
    # An older back end sends no English names: that line prints in Chinese only.
    bare = QueueTicket(**{**TICKET.__dict__, "business_en": "", "department_en": ""})
    with_names = render_ticket(TICKET, SITE, FONT, 576, lang="en")
    assert render_ticket(bare, SITE, FONT, 576, lang="en").height < with_names.height


def render_ticket_before_english(ticket: QueueTicket, site_name: str, font_path: str,
                                 width: int) -> Image.Image:
    """render_ticket as it was before the ticket had English, kept verbatim: a Chinese
    session must print exactly this, whatever Pillow renders it with."""
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


def test_a_chinese_ticket_prints_what_it_printed_before_english_where_that_fitted():
    """At 80 mm every line fits: the same bytes as before. At 58 mm the business line
    ran past the margin into the edge thermal heads fade at; it wraps now."""
    before = render_ticket_before_english(TICKET, SITE, FONT, 576)
    now = render_ticket(TICKET, SITE, FONT, 576)
    assert now.size == before.size and now.tobytes() == before.tobytes()
    left, _t, right, _b = inked(render_ticket_before_english(TICKET, SITE, FONT, 384))
    assert left < MARGIN or right > 384 - MARGIN  # the old 58 mm ticket overran
    narrow = render_ticket(TICKET, SITE, FONT, 384)
    left, _t, right, _b = inked(narrow)
    assert left >= MARGIN and right <= 384 - MARGIN
    assert narrow.height > render_ticket_before_english(TICKET, SITE, FONT, 384).height


@pytest.mark.skipif((PIL.__version__, features.version("freetype2")) != GOLDEN_WITH,
                    reason="golden hashes were computed with Pillow 10.4.0 / FreeType 2.13.2")
def test_the_chinese_ticket_matches_its_golden_hash():
    """Both the code and its verbatim copy above give the bytes recorded before English."""
    for width, golden in GOLDEN_ZH.items():
        for render in (render_ticket, render_ticket_before_english):
            page = render(TICKET, SITE, FONT, width)
            assert hashlib.sha256(page.tobytes()).hexdigest() == golden
