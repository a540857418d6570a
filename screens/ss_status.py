from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.departments.social_security.flow import SocialSecurityFlow
from kiosk.departments.social_security.presenters import present_status
from kiosk.departments.social_security.state import SocialSecurityState
from kiosk.departments.ss_card.flow import SocialSecurityCardFlow
from screens.base import KioskScreen


class InsuranceRow(BoxLayout):
    title = StringProperty("")
    detail = StringProperty("")


class SocialSecurityScreen(KioskScreen):
    flow_type = SocialSecurityFlow
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
        printer = app.hub.statuses.get("printer")
        view = present_status(ctl.session.state(SocialSecurityState).insurance,
                              app.t(ctl.notice) if ctl.notice else "",
                              printer is None or printer.usable, app.t, app.lang)
        self.holder, self.notice = view.holder, view.notice
        self.rows = [{"title": title, "detail": detail} for title, detail in view.rows]
        self.can_print, self.loaded = view.can_print, view.loaded

    def open_card(self) -> None:
        """社保卡: another department's flow, on its own screen."""
        self.app.controller.flow(SocialSecurityCardFlow).open()

    def on_rows(self, _screen, rows: list[dict]) -> None:
        box = self.ids.rows_box
        box.clear_widgets()
        for row in rows:
            box.add_widget(InsuranceRow(**row))
