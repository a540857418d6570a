"""医保 status: scheme, category, state and any 备案, with the department's four actions."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.departments.medical.flow import MedicalFlow
from kiosk.departments.medical.presenters import present_status
from kiosk.departments.medical.state import MedicalState
from screens.base import KioskScreen

STATE_LINE = 2  # the line whose value carries the status's colour


class MedicalLine(BoxLayout):
    label = StringProperty("")
    value = StringProperty("")
    tone = StringProperty("")  # "ok" | "warn" | "bad" | "": the value's colour


class MedicalStatusScreen(KioskScreen):
    flow_type = MedicalFlow
    holder = StringProperty("")
    # [(label, value)]: plain widgets, not a RecycleView, whose view cache would keep
    # a past citizen's lines alive after the session.
    lines = ListProperty([])
    note = StringProperty("")
    hint = StringProperty("")
    tone = StringProperty("")
    notice = StringProperty("")
    loaded = BooleanProperty(False)
    can_account = BooleanProperty(False)
    can_voucher = BooleanProperty(False)
    can_file = BooleanProperty(False)
    can_print = BooleanProperty(False)
    personal = ("holder", "lines", "note")

    def refresh(self, app) -> None:
        ctl = app.controller
        self.notice = app.t(ctl.notice) if ctl.notice else ""
        status = ctl.session.state(MedicalState).status
        self.loaded = status is not None
        if status is None:
            self.holder, self.lines, self.note, self.hint = "", [], "", ""
            self.can_account = self.can_voucher = self.can_file = self.can_print = False
            return
        view = present_status(status, app.lang)
        self.tone = view.tone  # before the lines, which are drawn in it
        self.holder, self.lines, self.note, self.hint = (view.holder, list(view.lines),
                                                         view.note, view.hint)
        self.can_account, self.can_voucher, self.can_file = (view.can_account,
                                                             view.can_voucher, view.can_file)
        printer = app.hub.statuses.get("printer")
        printer_ok = printer is None or printer.usable
        if view.can_print and not printer_ok:
            self.hint = app.t("print.printer_down")
        self.can_print = view.can_print and printer_ok

    def on_lines(self, _screen, lines: list) -> None:
        box = self.ids.lines_box
        box.clear_widgets()
        for i, (label, value) in enumerate(lines):
            tone = self.tone if i == STATE_LINE else ""
            box.add_widget(MedicalLine(label=label, value=value, tone=tone))
