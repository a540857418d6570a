"""The Press picks by the printer profile: a queue ticket in the printer's own font and
QR on a ``cn-font-qr`` printer, one raster image on a ``raster-only`` one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import zxingcpp

from drivers.printer import commands as c
from kiosk.config import KioskConfig, load_config
from kiosk.printing.printable import Press
from tests.kiosk.printing.test_ticket_native import FONT, TICKET, URL, printed

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(not os.path.exists(FONT), reason="fonts-wqy-microhei missing")


def config_with(profile: str, width: int = 576) -> KioskConfig:
    config = load_config(REPO / "config" / "kiosk.toml")
    printer = config.devices.printer.model_copy(update={"profile": profile, "width_dots": width})
    display = config.display.model_copy(update={"font": Path(FONT)})
    devices = config.devices.model_copy(update={"printer": printer})
    return config.model_copy(update={"devices": devices, "display": display})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_font_and_qr_printer_gets_the_ticket_as_text(lang: str) -> None:
    job = Press(config_with("cn-font-qr")).ticket(TICKET, lang)
    assert job.image is None and job.kind == "queue-ticket" and job.key is None
    assert job.body is not None and len(job.body) < 1500 and b"\x1d(k" in job.body
    assert "排队凭条".encode("gb18030") in job.body
    _ops, page = printed(job.body)
    assert [r.text for r in zxingcpp.read_barcodes(page.convert("L"))] == [URL]


@pytest.mark.parametrize("width", [576, 384])
def test_a_raster_only_printer_still_gets_one_raster_image(width: int) -> None:
    job = Press(config_with("raster-only", width)).ticket(TICKET, "en")
    assert job.body is None and job.kind == "queue-ticket" and job.key is None
    assert job.image is not None and job.image.mode == "1" and job.image.width == width
    assert len(c.raster(job.image)) > 30_000  # every dot on the wire: the slow way
    assert [r.text for r in zxingcpp.read_barcodes(job.image.convert("L"))] == [URL]
