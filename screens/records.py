"""The generic records screen: a long list in a RecycleView, presented by the flow.

A RecycleView keeps row widgets alive after its data is gone: the ones on screen,
"dirty" ones kept for reuse and a module-wide cache of spare views, each still
holding the text it last showed. ``clear()`` therefore empties the data, lays the
list out again at once and blanks every view it can reach, so no past citizen's
row survives the session in any widget.
"""

from __future__ import annotations

from collections.abc import Iterator

from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.recycleview import RecycleView
from kivy.uix.recycleview import views as rv_views

from kiosk.records import Listing, RecordsState
from screens.base import KioskButton, KioskScreen

ROW_FIELDS = ("title", "detail", "value", "tone", "action")


class RecordRow(BoxLayout):
    """One row; a RecycleView sets its fields from a data dict.

    Scrolling recycles rows, and each label whose text changes is rendered into its
    texture again, the costliest part of a frame, dearer the larger the texture: so the
    labels' textures are as small as their text (records.kv), a text that does not
    change is not rendered again, and a row's button is built only when the row first
    has an action to show (``RowButton``).
    """

    title = StringProperty("")
    detail = StringProperty("")
    value = StringProperty("")
    tone = StringProperty("")
    action = StringProperty("")
    index = NumericProperty(-1)
    button = ObjectProperty(None, allownone=True)

    @staticmethod
    def short(title: str, font_size: float, width: float) -> str:
        return one_line(title, font_size, width)

    def on_action(self, _row, action: str) -> None:
        if action and self.button is None:
            self.button = RowButton(row=self)
            self.ids.side.add_widget(self.button)


def one_line(text: str, font_size: float, width: float) -> str:
    """``text`` cut to fit ``width`` in bold at ``font_size``, ending in "..." if cut.

    Measures (font metrics, no texture), so it costs little next to rendering.
    """
    if not text or width <= 0:
        return text
    probe = _measure(font_size)
    if probe.get_extents(text)[0] <= width:
        return text
    low, high = 0, len(text)  # the longest prefix that fits with the ellipsis
    while low < high:
        mid = (low + high + 1) // 2
        if probe.get_extents(text[:mid].rstrip() + "...")[0] <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "..."


_probes: dict[float, CoreLabel] = {}


def _measure(font_size: float) -> CoreLabel:
    probe = _probes.get(font_size)
    if probe is None:
        probe = _probes[font_size] = CoreLabel(font_size=font_size, bold=True)
    return probe


class RowButton(KioskButton):
    """A row's action button (``缴款``, ``回执``): its text follows the row's action."""

    row = ObjectProperty(None, allownone=True, rebind=True)


def reachable_views(rv: RecycleView) -> Iterator:
    """Every view widget the RecycleView may still hold: shown, dirty, or cached."""
    adapter = rv.view_adapter
    yield from adapter.views.values()
    for dirty in adapter.dirty_views.values():
        yield from dirty.values()
    # Kivy's module-wide cache of spare views (private, but it is where stale rows go).
    yield from rv_views._cached_views.get(RecordRow, ())


class RecordsScreen(KioskScreen):
    title = StringProperty("")
    summary = StringProperty("")
    count = StringProperty("")
    notice = StringProperty("")
    back = StringProperty("home")
    personal = ("summary", "count")
    _focus_pending = True

    def refresh(self, app) -> None:
        ctl = app.controller
        state = ctl.session.state(RecordsState)
        view, answer = state.view, state.answer
        self.back = view.back if view else "home"
        self.title = app.t(view.title_key) if view else ""
        self.notice = app.t(ctl.notice) if ctl.notice else ""
        listing = view.present(answer, app.t, app.lang) if view and answer is not None else None
        self._show(listing or Listing())
        if listing is not None:
            if listing.focus and self._focus_pending:
                self._focus_pending = False
                Clock.schedule_once(lambda _dt: self._scroll_to(listing.focus), 0)
            if not listing.rows and not self.notice:
                self.notice = listing.empty
            self.count = app.t("records.count", n=len(listing.rows)) if listing.rows else ""

    def _show(self, listing: Listing) -> None:
        self.summary = listing.summary
        data = [
            {"title": r.title, "detail": r.detail, "value": r.value, "tone": r.tone,
             "action": r.action, "index": i}
            for i, r in enumerate(listing.rows)
        ]
        rv = self.ids.rv
        if data != rv.data:  # a refresh with the same rows keeps the scroll position
            if not data or not rv.data:
                rv.scroll_y = 1
                self._focus_pending = True  # a new list opens at its focus row
            rv.data = data
        if not data:
            self.count = ""

    def _scroll_to(self, index: int) -> None:
        """Put row ``index`` at the top (rows have one fixed height, so no layout pass)."""
        rv = self.ids.rv
        lm = rv.layout_manager
        step = lm.default_size[1] + lm.spacing
        room = len(rv.data) * step - lm.spacing - rv.height
        rv.scroll_y = 1.0 if room <= 0 else max(0.0, 1 - index * step / room)

    def act(self, app, index: int) -> None:
        """A row's button: the flow decides what it does."""
        ctl = app.controller
        state = ctl.session.state(RecordsState)
        view, answer = state.view, state.answer
        if view and view.act and answer is not None:
            view.act(answer, index)

    def page(self, direction: int) -> None:
        """Scroll one screenful up (+1) or down (-1): easier than dragging for many."""
        rv = self.ids.rv
        _sx, step = rv.convert_distance_to_scroll(0, rv.height * 0.9)
        rv.scroll_y = min(1.0, max(0.0, rv.scroll_y + direction * step))

    def clear(self) -> None:
        super().clear()
        self.title, self.notice, self.back = "", "", "home"
        rv = self.ids.rv
        rv.data = []
        rv.refresh_views()  # now, not on the next frame: views go back to the caches
        for view in reachable_views(rv):
            for name in ROW_FIELDS:
                setattr(view, name, "")
        rv.scroll_y = 1
