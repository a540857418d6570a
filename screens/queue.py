"""排队取号: the business types with the people waiting, then the ticket just issued."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty

from kiosk.departments.queue.flow import QueueFlow
from kiosk.departments.queue.presenters import present_queue
from screens.base import KioskButton, KioskScreen


class BusinessButton(KioskButton):
    index = NumericProperty(0)


class QueueScreen(KioskScreen):
    flow_type = QueueFlow
    types = ListProperty([])  # [{"text": ...}], one button per business type
    notice = StringProperty("")
    state = StringProperty("")  # "" choosing · "taking" · "issued" · "failed"
    number = StringProperty("")
    detail = StringProperty("")  # the ticket's business, waiting, windows, time
    message = StringProperty("")  # printed, or why not / why no number
    trouble = BooleanProperty(False)  # the message says what went wrong

    def refresh(self, app) -> None:
        ctl = app.controller
        view = present_queue(self.flow.state, app.t(ctl.notice) if ctl.notice else "",
                             self.flow.device_problem(), app.t, app.lang)
        self.types = [{"text": text} for text in view.types]
        self.notice, self.state, self.number = view.notice, view.state, view.number
        self.detail, self.message, self.trouble = view.detail, view.message, view.trouble

    def on_types(self, _screen, types: list[dict]) -> None:
        box = self.ids.types_box
        box.clear_widgets()
        for i, t in enumerate(types):
            button = BusinessButton(text=t["text"], index=i)
            button.bind(on_release=self._picked)
            box.add_widget(button)

    def _picked(self, button: BusinessButton) -> None:
        types = self.flow.state.types or ()
        if button.index < len(types) and self.state == "":
            self.flow.take(types[button.index], self.app.lang)
