from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.button import Button

from kiosk.controller import LOW_RATING_REASONS, LOW_SCORE
from screens.base import KioskScreen


class ReasonButton(Button):
    """One reason for a low rating; a tap picks or unpicks it. Not a KioskButton: its
    colour follows ``picked``, and KioskButton's rule would repaint it on every touch."""

    code = StringProperty("")
    label = StringProperty("")
    picked = BooleanProperty(False)


class RatingScreen(KioskScreen):
    """Five levels, 非常满意 to 非常不满意 (好差评); a low one asks why before it is sent."""

    low_score = NumericProperty(0)  # 1 or 2 while the citizen picks reasons
    chosen = ListProperty([])  # reason codes picked

    def on_kv_post(self, _base) -> None:
        # Strong references (ids are weak): the panel out of the tree must stay alive.
        panel = self.ids.reasons_panel.__self__
        self._panels = (self.ids.scores.__self__, panel)
        panel.parent.remove_widget(panel)  # hidden widgets would still catch touches

    def on_low_score(self, _screen, low: int) -> None:
        scores, reasons = self._panels
        shown, hidden = (reasons, scores) if low else (scores, reasons)
        if shown.parent is None:
            box = hidden.parent
            box.remove_widget(hidden)
            box.add_widget(shown)

    def refresh(self, app) -> None:
        if app.controller.session.phase.value != "rating":
            self.low_score, self.chosen = 0, []
        box = self.ids.reasons_box
        if not box.children:
            for code in LOW_RATING_REASONS:
                button = ReasonButton()
                button.code = code
                button.bind(on_release=self._toggle)
                box.add_widget(button)
        for button in box.children:
            button.label = app.t(f"rating.reason.{button.code}")
            button.picked = button.code in self.chosen

    def pick(self, app, score: int) -> None:
        if score <= LOW_SCORE:
            self.low_score, self.chosen = score, []
            self.refresh(app)
        else:
            app.controller.rate(score)

    def _toggle(self, button: ReasonButton) -> None:
        chosen = [c for c in self.chosen if c != button.code]
        if button.code not in self.chosen:
            chosen.append(button.code)
        self.chosen = chosen
        button.picked = button.code in chosen

    def submit(self, app) -> None:
        if self.low_score and self.chosen:
            score, reasons = self.low_score, tuple(self.chosen)
            self.low_score, self.chosen = 0, []
            app.controller.rate(score, reasons)

    def clear(self) -> None:
        self.low_score, self.chosen = 0, []
