"""The certificate renderer: a 576-dot 1-bit image that a person can read and a phone can scan."""

from __future__ import annotations

import os

import pytest
import zxingcpp
from PIL import Image

from kiosk.printing.certificate import Certificate
from kiosk.printing.render import render_certificate

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
pytestmark = pytest.mark.skipif(not os.path.exists(FONT), reason="fonts-wqy-microhei missing")

CERT = Certificate(
    title="社会保险参保证明",
    holder_name="欧阳明珏",
    id_number_masked="440304********1234",
    rows=[
        ("参保险种", "企业职工基本养老保险"),
        ("参保状态", "正常参保"),
        ("累计缴费", "128个月"),
        ("参保单位", "深圳市南山区某某科技创新服务有限公司（含下属分支机构）第二分公司"),
    ],
    verification_code="SS-20261122-7F3KQ9",
    verify_url="https://si.sz.gov.cn/verify?code=SS-20261122-7F3KQ9",
    issued_at="2026-11-22 20:15",
    issuer="深圳市社会保险基金管理局",
)


@pytest.fixture(scope="module")
def image() -> Image.Image:
    return render_certificate(CERT, FONT)


def _ink(img: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Black dots in box."""
    return img.crop(box).convert("L").histogram()[0]


def test_shape(image: Image.Image) -> None:
    assert image.mode == "1"
    assert image.width == 576
    assert 600 < image.height < 1600  # about 10-20 cm of paper


def test_other_widths() -> None:
    assert render_certificate(CERT, FONT, width=384).width == 384


def test_qr_decodes_to_verify_url(image: Image.Image) -> None:
    results = zxingcpp.read_barcodes(image.convert("L"))
    assert [r.text for r in results] == [CERT.verify_url]


def test_qr_modules_are_big_enough_to_scan_off_paper(image: Image.Image) -> None:
    (result,) = zxingcpp.read_barcodes(image.convert("L"))
    modules = 17 + 4 * int(result.extra["Version"])
    pos = result.position
    assert (pos.top_right.x - pos.top_left.x) / modules >= 4
    # quiet zone: 4 white modules (>= 16 dots) on each side of the symbol
    left, top = pos.top_left.x, pos.top_left.y
    assert _ink(image, (left - 16, top, left, pos.bottom_left.y)) == 0
    assert _ink(image, (left, top - 16, pos.top_right.x, top)) == 0


def test_title_is_printed_centred(image: Image.Image) -> None:
    title_band = (0, 0, 576, 90)
    assert _ink(image, title_band) > 1500  # 8 bold characters at 40 px
    assert _ink(image, (0, 0, 100, 90)) < _ink(image, (188, 0, 388, 90))  # centred, not left


def test_margins_stay_white(image: Image.Image) -> None:
    # thermal heads fade at the edges: nothing is printed in the outer 16 dots
    assert _ink(image, (0, 0, 16, image.height)) == 0
    assert _ink(image, (560, 0, 576, image.height)) == 0


def test_long_values_wrap_instead_of_running_off() -> None:
    one = render_certificate(Certificate("证明", "张三", "4403**1234", rows=[("单位", "短")]), FONT)
    long_value = "很长的单位名称" * 12
    many = render_certificate(
        Certificate("证明", "张三", "4403**1234", rows=[("单位", long_value)]), FONT
    )
    assert many.height > one.height + 3 * 28  # several extra lines
    assert _ink(many, (560, 0, 576, many.height)) == 0


def test_minimal_certificate_renders() -> None:
    img = render_certificate(Certificate("证明", "张三", "4403**1234"), FONT)
    assert img.mode == "1" and img.width == 576 and img.height > 100
