from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from screens.base import KioskScreen
from screens.home import mask_name


class InsuranceRow(BoxLayout):
    title = StringProperty("")
    detail = StringProperty("")


class SocialSecurityScreen(KioskScreen):
    holder = StringProperty("")
    # [{"title": ..., "detail": ...}]; plain widgets, not a RecycleView, whose view
    # cache would keep a past citizen's rows alive after the session.
    rows = ListProperty([])
    notice = StringProperty("")
    can_print = BooleanProperty(False)
    loaded = BooleanProperty(False)  # the histories need a known person
    personal = ("holder", "rows")

    def refresh(self, app) -> None:
        ctl = app.controller
        self.notice = app.t(ctl.notice) if ctl.notice else ""
        status = ctl.session.results.get("insurance")
        self.loaded = status is not None
        if status is None:
            self.holder, self.rows, self.can_print = "", [], False
            return
        self.holder = app.t("ss.holder", name=mask_name(status.holder_name))
        zh = app.lang == "zh"
        self.rows = [
            {
                "title": ins.name_zh if zh else ins.name_en,
                "detail": app.t(
                    "ss.row",
                    status=ins.status_zh if zh else ins.status_en,
                    since=ins.since,
                    months=ins.months,
                ),
            }
            for ins in status.insurances
        ]
        if not self.rows:
            self.notice = app.t("ss.none")
        printer = app.hub.statuses.get("printer")
        printer_ok = printer is None or printer.usable
        if self.rows and not printer_ok:
            self.notice = app.t("print.printer_down")
        self.can_print = bool(self.rows) and printer_ok

    def on_rows(self, _screen, rows: list[dict]) -> None:
        box = self.ids.rows_box
        box.clear_widgets()
        for row in rows:
            box.add_widget(InsuranceRow(**row))
