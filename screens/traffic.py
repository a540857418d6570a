"""交管: the citizen's driving licence (points, validity) and the ways to violations."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.departments.traffic.flow import TrafficFlow
from kiosk.departments.traffic.presenters import present_licence
from kiosk.departments.traffic.state import TrafficState
from screens.base import KioskScreen


class TrafficScreen(KioskScreen):
    flow_type = TrafficFlow
    holder = StringProperty("")
    licence_class = StringProperty("")
    status = StringProperty("")
    tone = StringProperty("")
    points = StringProperty("")
    points_left = StringProperty("")
    valid_to = StringProperty("")
    note = StringProperty("")
    notice = StringProperty("")
    has_licence = BooleanProperty(False)
    personal = ("holder", "licence_class", "status", "tone", "points", "points_left",
                "valid_to", "note")

    def refresh(self, app) -> None:
        ctl = app.controller
        self.notice = app.t(ctl.notice) if ctl.notice else ""
        view = present_licence(ctl.session.state(TrafficState).licence, app.t, app.lang)
        self.show(view)
