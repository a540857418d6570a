"""kiosk.toml rendered from the example: values replaced in place, comments kept, the
kiosk's own model validates the result."""

from __future__ import annotations

import tomllib

import pytest
from pydantic import ValidationError

from provisioning.__main__ import SOURCE
from provisioning.kiosk_toml import render

EXAMPLE = (SOURCE / "config" / "kiosk.toml").read_text()


def test_values_replaced_comments_kept_commented_keys_uncommented() -> None:
    text = render(EXAMPLE, {"terminal": {"id": "T-1"},
                            "broker": {"tls": True, "username": "T-1", "password": 'p"w#'}},
                  drop=("devices.queue",))
    raw = tomllib.loads(text)
    assert raw["terminal"]["id"] == "T-1" and raw["broker"]["password"] == 'p"w#'
    assert raw["broker"]["tls"] is True and "queue" not in raw["devices"]
    assert 'id = "T-1"                         # unique per terminal' in text
    assert "\n# tls = true" not in text and "\ntls = true" in text
    assert text.count("[devices.printer]") == 1


def test_a_key_the_example_lacks_is_added_to_its_section() -> None:
    raw = tomllib.loads(render(EXAMPLE, {"voice": {"wav_dir": "/var/lib/kiosk/voice"}}))
    assert raw["voice"]["wav_dir"] == "/var/lib/kiosk/voice"


def test_what_the_kiosk_would_refuse_is_refused_before_it_is_written() -> None:
    with pytest.raises(ValidationError):
        render(EXAMPLE, {"broker": {"port": 70000}})
    with pytest.raises(ValueError, match="no section"):
        render(EXAMPLE, {"nosuch": {"key": 1}})
