"""The out-of-service screen draws something useful whatever state the config is in."""

from __future__ import annotations

import subprocess
import sys

from PIL import Image

from outofservice.draw import render
from outofservice.notice import Notice, read_notice


def test_the_hours_come_from_the_config(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[terminal]\nsite_name = "福田"\nservice_hours = "08:00-20:00"\n')
    notice = read_notice(cfg)
    assert notice.service_hours == "08:00-20:00"
    assert any("08:00-20:00" in text for text, _s in notice.lines())


def test_a_config_that_is_no_longer_toml_still_gives_its_hours(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[terminal\nservice_hours = "09:00-17:00"\nsite_name = "大厅"\n')
    notice = read_notice(cfg)
    assert (notice.service_hours, notice.site_name) == ("09:00-17:00", "大厅")


def test_no_config_at_all_still_says_out_of_service(tmp_path):
    notice = read_notice(tmp_path / "missing.toml")
    assert notice == Notice()
    assert notice.lines()[0][0] == "暂停服务"


def test_the_picture_is_not_blank(tmp_path):
    image = render(Notice(service_hours="08:00-20:00"), (540, 960))
    colours = image.getcolors(maxcolors=100_000)
    assert image.size == (540, 960) and len(colours) > 2


def test_the_program_draws_into_a_png_and_says_ready(tmp_path):
    out = tmp_path / "oos.png"
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[terminal]\nservice_hours = "08:00-20:00"\n')
    proc = subprocess.Popen([sys.executable, "-m", "outofservice", "--config", str(cfg),
                             "--output", str(out), "--size", "270", "480"],
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert "drawn to" in line
        assert Image.open(out).size == (270, 480)
    finally:
        proc.terminate()
        proc.wait(5)
