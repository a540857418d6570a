"""DLE EOT 1-4 decoding and the command builders: golden vectors, python-escpos parity, fuzz."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from drivers.device import Action, DeviceState
from drivers.printer import commands as c
from drivers.printer import protocol as p
from drivers.printer.escpos_lib import Dummy
from drivers.printer.status import decode_state, device_status, status_from_replies

H = bytes.fromhex

# --- status (devices.md section 3: "typical replies") ----------------------------------------


@pytest.mark.parametrize(
    ("replies", "state", "detail", "action"),
    [
        ("12121212", DeviceState.ONLINE, "", Action.NONE),
        ("1212121E", DeviceState.ONLINE, "paper near end", Action.CLEAR),
        ("1A321272", DeviceState.USER_ERROR, "paper out", Action.CLEAR),
        ("1A161212", DeviceState.USER_ERROR, "cover open", Action.CLEAR),
        ("1A521A12", DeviceState.HARDWARE_ERROR, "cutter error", Action.CLEAR),
        ("1A523212", DeviceState.HARDWARE_ERROR, "unrecoverable error", Action.MAINTENANCE),
        ("1A121212", DeviceState.OFFLINE, "printer offline", Action.CLEAR),
        ("", DeviceState.OFFLINE, "no answer", Action.MAINTENANCE),
        ("FF", DeviceState.HARDWARE_ERROR, "bad status byte 0xff (baud rate?)", Action.MAINTENANCE),
        ("FF00" "12121272", DeviceState.USER_ERROR, "paper out", Action.CLEAR),  # noise skipped
    ],
)
def test_replies_to_device_status(replies: str, state, detail: str, action) -> None:
    status = status_from_replies(H(replies))
    assert (status.device, status.state, status.detail, status.action) == (
        "printer", state, detail, action)


def test_details_come_in_chinese_too() -> None:
    zh = {r: status_from_replies(H(r)).detail_zh for r in ("1A321272", "1A161212", "", "FF")}
    assert zh == {"1A321272": "打印纸用完", "1A161212": "打印机盖未关好", "": "设备无应答",
                  "FF": "状态应答异常（波特率不对？）"}
    assert status_from_replies(H("12121212")).detail_in("zh") == ""


def test_no_answer_is_never_paper_out() -> None:
    assert status_from_replies(b"").detail == "no answer"
    assert status_from_replies(H("72"), asked=(4,)).detail == "paper out"


def test_decode_state_fields() -> None:
    s = decode_state({1: 0x1A, 2: 0x36, 3: 0x1A, 4: 0x72})
    assert s.offline and s.cover_open and s.paper_end_stop and s.cutter_error and s.paper_out
    with pytest.raises(ValueError):
        decode_state({1: 0x00})


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=12))
def test_any_reply_bytes_map_to_a_status(replies: bytes) -> None:
    status = status_from_replies(replies)
    assert status.device == "printer" and isinstance(status.state, DeviceState)


@given(paper=st.sampled_from(p.PAPER_STATES), cover=st.booleans(), cutter=st.booleans(),
       offline=st.booleans())
def test_encoded_state_decodes_back(paper, cover, cutter, offline) -> None:
    replies = bytes(p.status_reply(n, paper=paper, cover_open=cover, cutter_error=cutter,
                                   offline=offline) for n in (1, 2, 3, 4))
    state = decode_state(dict(zip((1, 2, 3, 4), replies, strict=True)))
    assert (state.paper, state.cover_open, state.cutter_error) == (paper, cover, cutter)
    assert state.offline == (offline or cover or cutter or paper == "out")
    assert device_status(state).usable == (not (offline or cover or cutter or paper == "out"))


# --- builders: golden vectors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "golden"),
    [
        (c.INIT, "1B40"),
        (c.CHINESE_ON, "1C26"),
        (c.SYNC, "1D7201"),
        (c.CLEAR_AND_RECOVER, "100502"),
        (c.CUT_FULL, "1D5600"),
        (c.status_request(1), "100401"),
        (c.STATUS_ALL, "100401" "100402" "100403" "100404"),
        (c.align("center"), "1B6101"),
        (c.bold(True), "1B4501"),
        (c.char_size(2, 2), "1D2111"),
        (c.char_size(1, 2), "1D2101"),
        (c.left_margin(24), "1D4C1800"),
        (c.print_width(528), "1D571002"),
        (c.feed(6), "1B6406"),
        (c.feed_dots(28), "1B4A1C"),
        (c.text_line("参保证明 OK"), "B2CEB1A3D6A4C3F7204F4B0A"),  # GB18030
    ],
)
def test_builder_golden(data: bytes, golden: str) -> None:
    assert data == H(golden)


def test_native_qr_golden_and_same_as_python_escpos() -> None:
    golden = H("1D286B0400314132 00" "1D286B0300314306" "1D286B0300314531"
               "1D286B050031503068 69" "1D286B0300315130")
    assert c.qr(b"hi", module=6, ec="M") == golden
    dummy = Dummy()
    dummy.qr("hi", native=True, size=6, ec=1)  # python-escpos: QR_ECLEVEL_M == 1
    assert dummy.output == golden


def test_raster_golden_and_same_as_python_escpos() -> None:
    img = Image.new("1", (16, 2), 255)
    img.putpixel((0, 0), 0)
    img.putpixel((15, 1), 0)
    assert c.raster(img) == H("1D763000" "0200" "0200" "8000" "0001")
    big = Image.effect_noise((64, 1000), 64).convert("1")  # two fragments of <= 960 rows
    dummy = Dummy()
    dummy.profile.profile_data["media"]["width"] = {"mm": 8, "pixels": 64}
    dummy.image(big, impl="bitImageRaster")
    assert c.raster(big) == dummy.output
    assert c.raster(big, 64).count(b"\x1dv0") == 16


def test_raster_pads_odd_widths_with_white() -> None:
    ops = p.EscPosParser().feed(c.raster(Image.new("1", (10, 1), 0)))
    assert ops == [p.Raster(0, 2, 1, H("FFC0"))]


@pytest.mark.parametrize(("ch", "ok"), [("张", True), ("A", True), ("：", True), ("喆", False),
                                         ("䶮", False), ("𠀀", False), ("\x07", False),
                                         ("·", True), ("—", True), ("€", False)])
def test_font_can_print(ch: str, ok: bool) -> None:
    assert c.font_can_print(ch) is ok


def test_builders_refuse_bad_input() -> None:
    for bad in (lambda: c.status_request(5), lambda: c.char_size(9, 1),
                lambda: c.qr(b"", 6), lambda: c.qr(b"x", 17), lambda: c.text_line("a\nb")):
        with pytest.raises(ValueError):
            bad()


def test_every_builder_parses_back() -> None:
    img = Image.new("1", (8, 1), 0)
    stream = (c.INIT + c.CHINESE_ON + c.left_margin(24) + c.print_width(528) + c.align("right")
              + c.char_size(2, 2) + c.bold(True) + c.text_line("证明") + c.raster(img)
              + c.qr(b"u") + c.feed(2) + c.SYNC + c.STATUS_ALL + c.CLEAR_AND_RECOVER + c.CUT_FULL)
    ops = p.EscPosParser().feed(stream)
    assert ops == [
        p.Init(), p.Other(c.CHINESE_ON), p.LeftMargin(24), p.PrintWidth(528), p.Align(2),
        p.CharSize(0x11), p.Bold(True), p.Text("证明".encode("gb18030")), p.LineFeed(),
        p.Raster(0, 1, 1, b"\xff"), p.Code2D(49, 65, b"2\x00"), p.Code2D(49, 67, b"\x06"),
        p.Code2D(49, 69, b"1"), p.Code2D(49, 80, b"0u"), p.Code2D(49, 81, b"0"), p.Feed(2),
        p.StatusTransmit(1), *(p.StatusRequest(n) for n in (1, 2, 3, 4)), p.Recover(2),
        p.Cut(0),
    ]


def test_margin_and_alignment_place_text_and_raster() -> None:
    bar = Image.new("1", (8, 4), 0)
    stream = c.left_margin(24) + c.print_width(528) + c.align("right") + c.raster(bar)
    stream += c.align("center") + c.raster(bar) + c.CUT_FULL
    page = p.render_pages(p.EscPosParser().feed(stream))[0]
    assert page.crop((544, 0, 552, 4)).getextrema() == (0, 0)  # right edge of the area
    assert page.crop((284, 4, 292, 8)).getextrema() == (0, 0)  # centred in the area
    assert page.crop((552, 0, 576, 8)).getextrema() == (255, 255)


def test_text_is_drawn_in_fixed_cells() -> None:
    draw_w = {}
    for text in ("AB", "证明", "A证"):
        page = p.render_pages(p.EscPosParser().feed(c.text_line(text) + c.CUT_FULL))[0]
        box = page.point(lambda v: 255 - v).getbbox()
        draw_w[text] = box[2] if box else 0
    assert draw_w["AB"] <= 24 < draw_w["证明"] <= 48 and draw_w["A证"] <= 36


def test_long_text_wraps_at_the_area_edge() -> None:
    stream = c.print_width(240) + c.text_line("一二三四五六七八九十甲乙") + c.CUT_FULL
    page = p.render_pages(p.EscPosParser().feed(stream))[0]
    assert page.height == 2 * 30  # 10 characters of 24 dots fit in 240: two lines
