"""Every kind of configuration mistake stops start-up with a message naming key and file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "config" / "kiosk.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_example_loads():
    config = load_config(EXAMPLE)
    assert config.terminal.id == "SZFT-0001"
    assert config.session.idle_timeout_s == 60
    assert config.devices.printer.width_dots == 576


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.toml: configuration file not found"):
        load_config(tmp_path / "nope.toml")


def test_unknown_key_is_named(tmp_path):
    text = EXAMPLE.read_text().replace("idle_timeout_s = 60", "idle_timeout = 60")
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    message = str(err.value)
    assert "kiosk.toml" in message
    assert "session.idle_timeout: unknown key" in message


def test_wrong_type_is_named(tmp_path):
    text = EXAMPLE.read_text().replace("baud = 115200", 'baud = "fast"', 1)
    with pytest.raises(ConfigError, match=r"devices\.idcard\.baud: .*'fast'"):
        load_config(write(tmp_path, text))


def test_missing_required_key_is_named(tmp_path):
    text = EXAMPLE.read_text().replace('url = "http://127.0.0.1:8765"', "")
    with pytest.raises(ConfigError, match=r"backend\.url: required key is missing"):
        load_config(write(tmp_path, text))


def test_value_out_of_range(tmp_path):
    text = EXAMPLE.read_text().replace("width_dots = 576", "width_dots = 500")
    with pytest.raises(ConfigError, match=r"devices\.printer\.width_dots"):
        load_config(write(tmp_path, text))


def test_broken_toml(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[terminal\nid = 1"))


def test_start_up_prints_the_message_not_a_traceback(tmp_path):
    text = EXAMPLE.read_text().replace("[broker]", "[broker]\nhots = 1")
    path = write(tmp_path, text)
    result = subprocess.run(
        [sys.executable, "-m", "ui", "--config", str(path)],
        capture_output=True, text=True, cwd=REPO, timeout=60,
    )
    assert result.returncode == 2
    assert "broker.hots: unknown key" in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_font_is_a_config_error(tmp_path):
    text = EXAMPLE.read_text().replace(
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", str(tmp_path / "none.ttc")
    )
    result = subprocess.run(
        [sys.executable, "-m", "ui", "--config", str(write(tmp_path, text))],
        capture_output=True, text=True, cwd=REPO, timeout=60,
        env={"PATH": "/usr/bin:/bin", "SDL_VIDEODRIVER": "offscreen", "KIVY_NO_ARGS": "1",
             "KIVY_HOME": str(tmp_path / "kivy")},
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "display.font: font file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_voice_section_is_documented_and_checked(tmp_path):
    config = load_config(EXAMPLE)
    assert config.voice.enabled and config.voice.voice_zh == "cmn"
    text = EXAMPLE.read_text().replace('output = "auto"', 'ouptut = "auto"')
    with pytest.raises(ConfigError, match=r"voice\.ouptut: unknown key"):
        load_config(write(tmp_path, text))
    text = EXAMPLE.read_text().replace('output = "auto"', 'output = "loud"')
    with pytest.raises(ConfigError, match=r"voice\.output: .*'loud'"):
        load_config(write(tmp_path, text))


def test_time_zone_defaults_to_china_and_a_wrong_one_is_named(tmp_path):
    assert load_config(EXAMPLE).terminal.time_zone == "Asia/Shanghai"
    text = EXAMPLE.read_text().replace('time_zone = "Asia/Shanghai"', 'time_zone = "Asia/Shangai"')
    with pytest.raises(ConfigError, match=r"terminal\.time_zone: .*unknown time zone"):
        load_config(write(tmp_path, text))
