"""The queue ticket in the printer's own font and native QR: the bytes on the wire (golden),
what they print, and a raster only where the font has no glyph.

The golden files are the exact ESC/POS bodies. After a deliberate change to the layout,
write them again with
``PYTHONPATH=$PWD .venv/bin/python -m tests.kiosk.printing.test_ticket_native``
and look at the pages it saves to var/golden/ before committing.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageOps

from drivers.printer import commands as c
from drivers.printer import protocol as p
from kiosk.printing.render import MARGIN
from kiosk.printing.ticket import QueueTicket, render_ticket, ticket_escpos

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
pytestmark = pytest.mark.skipif(not os.path.exists(FONT), reason="fonts-wqy-microhei missing")
GOLDEN = Path(__file__).with_name("golden")
SITE = "福田区24小时政务服务自助点"
TICKET = QueueTicket(number="C012", business_zh="驾驶证业务、违法处理", department_zh="公安交警",
                     windows="6-8", waiting=11, taken_at="2026-11-22 20:15", site="futian-hall",
                     business_en="Driving licences, violations", department_en="Traffic police")
URL = "https://hall.example.gov.cn/queue?site=futian-hall&day=20261122&ticket=C012"
CASES = {"queue-ticket-zh-576": ("zh", 576), "queue-ticket-en-576": ("en", 576),
         "queue-ticket-en-384": ("en", 384)}


def body(name: str) -> bytes:
    lang, width = CASES[name]
    return ticket_escpos(TICKET, SITE, FONT, width, lang=lang)


def printed(data: bytes, width: int = 576) -> tuple[list, Image.Image]:
    """Frame the body as the driver does, parse it and print it as the simulator does."""
    ops = p.EscPosParser().feed(c.INIT + data + c.feed(6) + c.SYNC + c.CUT_FULL)
    (page,) = p.render_pages(ops, width=width)
    return ops, page


def texts(ops: list) -> list[str]:
    return [op.text for op in ops if isinstance(op, p.Text)]


@pytest.mark.parametrize("name", CASES)
def test_the_bytes_match_the_golden_file(name: str) -> None:
    """Byte for byte: GB18030 text, GS ! for the number, GS ( k for the QR code, the rules
    as raster. A difference changes every ticket the hall prints: look before you update."""
    golden = (GOLDEN / f"{name}.escpos").read_bytes()
    assert body(name) == golden


def test_everything_the_ticket_says_goes_as_text_and_the_qr_natively() -> None:
    ops, page = printed(body("queue-ticket-zh-576"))
    assert texts(ops) == [
        SITE, "排队凭条", "C012", "公安交警·驾驶证业务、违法处理", "办理窗口：6-8号",
        "您前面还有 11 人等候", "取号时间：2026-11-22 20:15", "请留意叫号，过号请重新取号",
        "扫码查看排队进度"]  # and nothing else: nothing personal has a place on it
    sizes = [op for op in ops if isinstance(op, p.CharSize)]
    assert p.CharSize(0x33) in sizes and p.CharSize(0x11) in sizes  # number 4x4, title 2x2
    assert not any(isinstance(op, p.Raster) and op.height > 3 for op in ops)  # rules only
    qr = {op.fn: op.data for op in ops if isinstance(op, p.Code2D)}
    assert qr[80] == b"0" + URL.encode() and qr[69] == b"1"  # stored; EC level M
    assert [r.text for r in zxingcpp.read_barcodes(page.convert("L"))] == [URL]


def test_english_under_each_chinese_line() -> None:
    ops, _page = printed(body("queue-ticket-en-576"))
    lines = texts(ops)
    for zh, en in (("排队凭条", "Queue ticket"), ("办理窗口：6-8号", "Counters 6-8"),
                   ("您前面还有 11 人等候", "11 people ahead of you"),
                   ("取号时间：2026-11-22 20:15", "Taken at 2026-11-22 20:15"),
                   ("扫码查看排队进度", "Scan to follow the queue")):
        assert lines[lines.index(zh) + 1] == en
    assert "Traffic police·Driving licences, violations" in lines
    one = replace(TICKET, waiting=1, windows="9")
    lines = texts(printed(ticket_escpos(one, SITE, FONT, lang="en"))[0])
    assert "1 person ahead of you" in lines and "Counter 9" in lines
    bare = replace(TICKET, business_en="", department_en="")  # an older back end
    lines = texts(printed(ticket_escpos(bare, SITE, FONT, lang="en"))[0])
    assert not any("·" in line and line.isascii() for line in lines)


def inked(page: Image.Image) -> tuple[int, int, int, int]:
    return ImageOps.invert(page.convert("L")).getbbox()


@pytest.mark.parametrize("width", [576, 384])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_inside_the_margins_and_the_qr_reads(width: int, lang: str) -> None:
    _ops, page = printed(ticket_escpos(TICKET, SITE, FONT, width, lang=lang), width)
    left, _top, right, _bottom = inked(page)
    assert page.width == width and left >= MARGIN and right <= width - MARGIN
    (code,) = zxingcpp.read_barcodes(page.convert("L"))
    assert code.text == URL
    modules = 17 + 4 * int(code.extra["Version"])
    assert (code.position.top_right.x - code.position.top_left.x) / modules >= 4


def test_58mm_breaks_the_business_line_at_its_dot() -> None:
    lines = texts(printed(body("queue-ticket-en-384"), 384)[0])
    at = lines.index("C012") + 1
    assert lines[at:at + 4] == ["公安交警·", "驾驶证业务、违法处理", "Traffic police·",
                                "Driving licences, violations"]


def test_a_character_outside_the_font_goes_as_one_raster_line() -> None:
    rare = replace(TICKET, business_zh="喆业务")  # 喆: GBK, not GB2312
    ops, page = printed(ticket_escpos(rare, SITE, FONT))
    assert not any("喆" in line for line in texts(ops))
    assert len([op for op in ops if isinstance(op, p.Raster) and op.height > 3]) == 1
    as_text_ops, as_text = printed(ticket_escpos(rare, SITE, FONT, charset="gbk"))
    assert "公安交警·喆业务" in texts(as_text_ops)
    assert page.tobytes() == as_text.tobytes()  # it looks like the printer's own text


@pytest.mark.parametrize("width", [576, 384])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_least_twenty_times_fewer_bytes_than_the_raster(width: int, lang: str) -> None:
    native = len(ticket_escpos(TICKET, SITE, FONT, width, lang=lang))
    raster = len(c.raster(render_ticket(TICKET, SITE, FONT, width, lang=lang)))
    assert raster >= 20 * native, (raster, native)


if __name__ == "__main__":  # write the golden files again, and the pages to look at
    PAGES = Path(__file__).resolve().parents[3] / "var" / "golden"
    GOLDEN.mkdir(exist_ok=True)
    PAGES.mkdir(parents=True, exist_ok=True)
    for case, (_lang, case_width) in CASES.items():
        data = body(case)
        (GOLDEN / f"{case}.escpos").write_bytes(data)
        printed(data, case_width)[1].save(PAGES / f"{case}.png")
        print(f"{GOLDEN / case}.escpos: {len(data)} bytes; page {PAGES / case}.png",
              file=sys.stderr)
