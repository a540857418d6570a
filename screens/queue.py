"""排队取号: the business types with the people waiting, then the ticket just issued."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty

from kiosk.flows.queue import TICKET_KEY, TYPES_KEY, TicketOutcome
from screens.base import KioskButton, KioskScreen


class BusinessButton(KioskButton):
    index = NumericProperty(0)


class QueueScreen(KioskScreen):
    types = ListProperty([])  # [{"text": ...}], one button per business type
    notice = StringProperty("")
    state = StringProperty("")  # "" choosing · "taking" · "issued" · "failed"
    number = StringProperty("")
    detail = StringProperty("")  # the ticket's business, waiting, windows, time
    message = StringProperty("")  # printed, or why not / why no number
    trouble = BooleanProperty(False)  # the message says what went wrong

    def refresh(self, app) -> None:
        ctl = app.controller
        zh = app.lang == "zh"
        self.notice = app.t(ctl.notice) if ctl.notice else ""
        types = ctl.session.results.get(TYPES_KEY) or ()
        self.types = [
            {"text": app.t("queue.type", department=t.department_zh if zh else t.department_en,
                           name=t.name_zh if zh else t.name_en, waiting=t.waiting,
                           windows=t.windows)}
            for t in types
        ]
        outcome = ctl.session.results.get(TICKET_KEY)
        self.trouble = isinstance(outcome, TicketOutcome) and not outcome.printed
        if outcome is None:
            self.state, self.number, self.detail, self.message = "", "", "", ""
            problem = ctl.flows["queue"].device_problem()
            if problem and types:
                self.notice = app.t("queue.device_down", reason=problem.zh if zh else problem.en)
        elif outcome == "taking":
            self.state, self.message = "taking", app.t("queue.taking")
        else:
            self._show(app, outcome, zh)

    def _show(self, app, outcome: TicketOutcome, zh: bool) -> None:
        ticket = outcome.ticket
        if ticket is None:
            problem = outcome.problem
            reason = (problem.zh if zh else problem.en) if problem else ""
            self.state, self.number, self.detail = "failed", "", ""
            self.message = app.t("queue.no_number", reason=reason)
            return
        b = outcome.business
        self.state, self.number = "issued", ticket.number
        self.detail = app.t("queue.ticket", department=b.department_zh if zh else b.department_en,
                            name=b.name_zh if zh else b.name_en, waiting=ticket.waiting,
                            windows=ticket.windows, at=ticket.taken_at)
        self.message = app.t("queue.printed" if outcome.printed else "queue.not_printed")

    def on_types(self, _screen, types: list[dict]) -> None:
        box = self.ids.types_box
        box.clear_widgets()
        for i, t in enumerate(types):
            button = BusinessButton(text=t["text"], index=i)
            button.bind(on_release=self._picked)
            box.add_widget(button)

    def _picked(self, button: BusinessButton) -> None:
        from kivy.app import App

        app = App.get_running_app()
        types = app.controller.session.results.get(TYPES_KEY) or ()
        if button.index < len(types) and self.state == "":
            app.controller.flows["queue"].take(types[button.index], app.lang)
