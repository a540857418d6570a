"""办事指南: a search from the letter keypad (pinyin, initials or English) whose results
update at every key, and the way to the 一件事 bundles."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.departments.guides.flow import GuideFlow
from kiosk.departments.guides.search import search
from kiosk.i18n import local
from screens.base import KioskButton, KioskScreen
from screens.keypad import Keypad

__all__ = ["GuidesScreen", "Keypad"]  # Keypad: registered for guides.kv
KEYS = list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
SHOWN = 5


class ResultButton(KioskButton):
    """One search result; styled in guides.kv."""


class GuidesScreen(KioskScreen):
    flow_type = GuideFlow
    query = StringProperty("")
    notice = StringProperty("")
    loaded = BooleanProperty(False)
    personal = ("query",)  # not personal as such, but the next citizen starts afresh

    def on_kv_post(self, _base) -> None:
        self.ids.keypad.keys = KEYS

    def refresh(self, app) -> None:
        ctl = app.controller
        self.notice = app.t(ctl.notice) if ctl.notice else ""
        self.loaded = self.flow.catalog is not None
        self._results(app)

    def press(self, app, key: str) -> None:
        """A letter, or " " from the space bar; words may come in any order."""
        self.query = (self.query + key.lower())[:30]
        self._results(app)

    def delete(self, app) -> None:
        self.query = self.query[:-1]
        self._results(app)

    def _results(self, app) -> None:
        box = self.ids.results
        box.clear_widgets()
        notice = app.controller.notice
        self.notice = app.t(notice) if notice else ""
        catalog = self.flow.catalog
        if catalog is None:
            return
        found = search(catalog.guides, self.query, limit=SHOWN)
        for guide in found:
            button = ResultButton(text=local(guide.title_zh, guide.title_en, app.lang))
            button.bind(on_release=lambda _b, g=guide: self.flow.show_guide(g))
            box.add_widget(button)
        if self.query.strip() and not found:
            self.notice = app.t("guide.none")

    def clear(self) -> None:
        super().clear()
        self.ids.results.clear_widgets()
        self.notice, self.loaded = "", False
