"""交管: the citizen's driving licence (points, validity) and the ways to violations."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from common.privacy import mask_name
from kiosk.flows.traffic import LICENCE_KEY
from screens.base import KioskScreen

STATUS_TONES = {"valid": "ok", "expiring": "warn", "expired": "bad"}


class TrafficScreen(KioskScreen):
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
        lic = ctl.session.results.get(LICENCE_KEY)
        self.has_licence = lic is not None
        if lic is None:
            self.clear()
            return
        self.holder = app.t("traffic.holder", name=mask_name(lic.holder_name))
        self.licence_class = lic.licence_class
        self.status = lic.status_zh if app.lang == "zh" else lic.status_en
        self.tone = STATUS_TONES.get(lic.status, "")
        self.points = str(lic.points_deducted)
        self.points_left = app.t("traffic.points_left", n=lic.points_left)
        self.valid_to = lic.valid_to
        self.note = app.t("traffic.probation") if lic.probation else ""
