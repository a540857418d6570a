"""The catalog is complete in both languages and covers every key the screens use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.i18n import Catalog

REPO = Path(__file__).resolve().parents[2]


def used_keys() -> set[str]:
    keys: set[str] = set()
    pattern = re.compile(r"""(?:\bt|app\.t)\(\s*['"]([a-z_]+\.[a-z_.0-9]+)['"]""")
    sources = [*REPO.glob("screens/*.kv"), *REPO.glob("screens/*.py"), *REPO.glob("kiosk/**/*.py")]
    for path in sources:
        keys |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_used_key_exists():
    catalog = Catalog.load()
    missing = sorted(k for k in used_keys() if k not in catalog.entries)
    assert len(used_keys()) > 20
    assert missing == []


def test_every_entry_has_both_languages_and_they_differ():
    catalog = Catalog.load()
    for key, texts in catalog.entries.items():
        assert texts["zh"].strip() and texts["en"].strip(), key
        if key not in ("lang.switch",):
            assert texts["zh"] != texts["en"], key


def test_placeholders_match_between_languages():
    for key, texts in Catalog.load().entries.items():
        fields = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert fields["zh"] == fields["en"], key


def test_incomplete_entry_is_refused():
    with pytest.raises(ValueError, match="no text for"):
        Catalog({"x.y": {"zh": "只有中文"}})


def test_unknown_key_falls_back_to_the_key():
    assert Catalog({}).text("nope.key", "zh") == "nope.key"
