"""异地就医备案: a form (city, reason, start) → a confirmation → what came of it.

One screen following the flow's step; the choice buttons are made from the back end's
options, so a city added there needs no new screen.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.departments.medical.flow import MedicalFlow
from kiosk.departments.medical.presenters import (
    Choice,
    present_confirm,
    present_form,
    present_outcome,
)
from kiosk.departments.medical.state import MedicalState
from screens.base import KioskButton, KioskScreen


class ChoiceButton(KioskButton):
    """One option of the form; drawn chosen or not (mi_filing.kv)."""

    code = StringProperty("")
    chosen = BooleanProperty(False)


class FilingLine(BoxLayout):
    """One line of the confirmation (mi_filing.kv)."""

    label = StringProperty("")
    value = StringProperty("")


class MedicalFilingScreen(KioskScreen):
    flow_type = MedicalFlow
    step = StringProperty("form")
    notice = StringProperty("")
    loaded = BooleanProperty(False)
    hint = StringProperty("")
    can_continue = BooleanProperty(False)
    confirm_lines = ListProperty([])  # [(label, value)]
    headline = StringProperty("")
    detail = StringProperty("")
    tone = StringProperty("")
    can_retry = BooleanProperty(False)
    personal = ("confirm_lines", "headline", "detail")

    def on_pre_enter(self, *_a) -> None:
        self.ids.form_scroll.scroll_y = 1  # a form starts at its top, not where the last one was

    def refresh(self, app) -> None:
        ctl = app.controller
        self.notice = app.t(ctl.notice) if ctl.notice else ""
        state = ctl.session.state(MedicalState)
        self.step = state.step.name
        self.loaded = state.options is not None
        if state.options is None:
            self._fill({"cities": [], "reasons": [], "starts": []})
            self.confirm_lines, self.headline, self.detail = [], "", ""
            return
        form = present_form(state.options, state.draft, self.flow.today(), app.lang)
        self._fill({"cities": form.cities, "reasons": form.reasons, "starts": form.starts})
        self.hint, self.can_continue = form.hint, form.can_continue
        self.confirm_lines = (present_confirm(state.options, state.draft, app.lang)
                              if state.draft.complete else [])
        outcome = present_outcome(state.step, app.lang)
        self.headline, self.detail, self.tone = outcome.headline, outcome.detail, outcome.tone
        self.can_retry = outcome.can_retry

    def _fill(self, groups: dict[str, list[Choice]]) -> None:
        actions = {"cities": self.flow.choose_city, "reasons": self.flow.choose_reason,
                   "starts": self.flow.choose_start} if self.loaded else {}
        for group, choices in groups.items():
            box = self.ids[f"{group}_box"]
            buttons = [b for b in box.children if isinstance(b, ChoiceButton)][::-1]
            if [b.code for b in buttons] != [c.code for c in choices]:
                box.clear_widgets()
                buttons = []
                for c in choices:
                    button = ChoiceButton(code=c.code)
                    button.bind(on_release=lambda b, act=actions[group]: act(b.code))
                    box.add_widget(button)
                    buttons.append(button)
            for button, c in zip(buttons, choices, strict=True):
                button.text, button.chosen = c.label, c.chosen

    def choice(self, group: str, code: str) -> ChoiceButton:
        """The button of option ``code`` in ``group`` ("cities", "reasons", "starts")."""
        return next(b for b in self.ids[f"{group}_box"].children if b.code == code)

    def on_confirm_lines(self, _screen, lines: list) -> None:
        box = self.ids.confirm_box
        box.clear_widgets()
        for label, value in lines:
            box.add_widget(FilingLine(label=label, value=value))
