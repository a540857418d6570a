"""Every string a citizen sees comes from one catalog with both languages side by side."""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("zh", "en")
CATALOG_PATH = Path(__file__).with_name("strings.toml")

log = logging.getLogger(__name__)


def local(zh: str, en: str, lang: str) -> str:
    """Back-end text in the citizen's language: its English when asked for and given
    (an older back end may send none), else the Chinese."""
    return en if lang == "en" and en else zh


class Catalog:
    def __init__(self, entries: dict[str, dict[str, str]]):
        for key, texts in entries.items():
            missing = [lang for lang in LANGUAGES if lang not in texts]
            if missing:
                raise ValueError(f"{CATALOG_PATH.name}: {key!r} has no text for {missing}")
        self.entries = entries
        self._warned: set[str] = set()

    @classmethod
    def load(cls, path: Path = CATALOG_PATH) -> Catalog:
        """strings.toml, and the voice prompts and texts the departments declare."""
        from kiosk.departments import catalog_entries  # they import Text from here

        with path.open("rb") as f:
            entries = tomllib.load(f)
        for key, texts in catalog_entries().items():
            if key in entries:
                raise ValueError(f"{key!r} is in {path.name} and in a department's own texts")
            entries[key] = texts
        return cls(entries)

    def text(self, key: str, lang: str, **values: object) -> str:
        texts = self.entries.get(key)
        if texts is None:
            if key not in self._warned:
                self._warned.add(key)
                log.warning("no translation for %r", key)
            return key
        text = texts.get(lang) or texts["zh"]
        return text.format(**values) if values else text


@dataclass(frozen=True)
class Text:
    """A text in both languages, declared in code (a department's name, a tile)."""

    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return local(self.zh, self.en, lang)
