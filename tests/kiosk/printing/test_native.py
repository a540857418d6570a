"""The certificate in the printer's own font and native QR: what goes on the wire, how it prints."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
import zxingcpp
from PIL import Image

from drivers.printer import commands as c
from drivers.printer import protocol as p
from kiosk.printing.certificate import Certificate
from kiosk.printing.native import certificate_escpos
from kiosk.printing.render import render_certificate

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
pytestmark = pytest.mark.skipif(not os.path.exists(FONT), reason="fonts-wqy-microhei missing")

CERT = Certificate(
    title="社会保险参保证明",
    holder_name="欧阳明珏",
    id_number_masked="440304********1234",
    rows=[("参保险种", "企业职工基本养老保险"), ("参保状态", "正常参保"),
          ("参保单位", "深圳市南山区某某科技创新服务有限公司（含下属分支机构）第二分公司")],
    verification_code="SS-20261122-7F3KQ9",
    verify_url="https://si.sz.gov.cn/verify?code=SS-20261122-7F3KQ9",
    issued_at="2026-11-22 20:15",
    issuer="深圳市社会保险基金管理局",
)
RARE = replace(CERT, holder_name="陶喆")  # 喆: GBK, not GB2312


def printed(body: bytes, width: int = 576) -> tuple[list, Image.Image]:
    """Frame the body as the driver does, parse it and print it as the simulator does."""
    ops = p.EscPosParser().feed(c.INIT + body + c.feed(6) + c.SYNC + c.CUT_FULL)
    (page,) = p.render_pages(ops, width=width)
    return ops, page


def texts(ops: list) -> list[str]:
    return [op.text for op in ops if isinstance(op, p.Text)]


def test_text_goes_as_gb18030_and_the_qr_natively() -> None:
    ops, page = printed(certificate_escpos(CERT, FONT))
    lines = texts(ops)
    assert "社会保险参保证明" in lines and CERT.verification_code in lines
    assert any(line.startswith("姓名：") and line.endswith("欧阳明珏") for line in lines)
    assert any("（含下属分支机构）" in line for line in lines)  # the long value, wrapped
    assert not any(isinstance(op, p.Raster) and op.height > 4 for op in ops)  # rules only
    qr = {op.fn: op.data for op in ops if isinstance(op, p.Code2D)}
    assert qr[80] == b"0" + CERT.verify_url.encode() and qr[69] == b"1"  # store; EC level M
    assert [r.text for r in zxingcpp.read_barcodes(page.convert("L"))] == [CERT.verify_url]


def test_qr_modules_big_enough_and_quiet_zone_white() -> None:
    _ops, page = printed(certificate_escpos(CERT, FONT))
    (result,) = zxingcpp.read_barcodes(page.convert("L"))
    modules = 17 + 4 * int(result.extra["Version"])
    pos = result.position
    assert (pos.top_right.x - pos.top_left.x) / modules >= 4
    left, top = pos.top_left.x, pos.top_left.y
    assert page.crop((left - 16, top - 16, pos.top_right.x + 16, top)).getextrema() == (255, 255)


def test_margins_stay_white() -> None:
    _ops, page = printed(certificate_escpos(CERT, FONT))
    assert page.width == 576 and 600 < page.height < 1600
    assert page.crop((0, 0, 20, page.height)).getextrema() == (255, 255)
    assert page.crop((556, 0, 576, page.height)).getextrema() == (255, 255)


def test_a_rare_name_character_goes_as_raster_and_looks_like_the_font() -> None:
    ops, page = printed(certificate_escpos(RARE, FONT))
    assert not any("喆" in line for line in texts(ops))  # never sent as a character
    name_rows = [op for op in ops if isinstance(op, p.Raster) and op.height == 30]
    assert len(name_rows) == 1  # only the name's line is raster
    # A printer whose font has GBK prints the same line as text: the pages are identical.
    _ops, as_text = printed(certificate_escpos(RARE, FONT, charset="gbk"))
    assert "喆" in "".join(texts(_ops))
    assert page.tobytes() == as_text.tobytes()


def test_at_least_five_times_fewer_bytes_than_the_raster() -> None:
    for cert in (CERT, RARE):
        native = len(certificate_escpos(cert, FONT))
        raster = len(c.raster(render_certificate(cert, FONT)))
        assert raster >= 5 * native, (raster, native)


def test_58mm_paper() -> None:
    _ops, page = printed(certificate_escpos(CERT, FONT, width=384), width=384)
    assert page.width == 384
    assert [r.text for r in zxingcpp.read_barcodes(page.convert("L"))] == [CERT.verify_url]
    assert page.crop((364, 0, 384, page.height)).getextrema() == (255, 255)
