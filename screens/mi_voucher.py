"""医保电子凭证: the one-time QR code for the citizen's phone, counting down to its end."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.departments.medical.flow import MedicalFlow
from screens.base import KioskScreen
from screens.payment import qr_texture

TICK_S = 1.0  # the countdown's step


class MedicalVoucherScreen(KioskScreen):
    flow_type = MedicalFlow
    countdown = StringProperty("")
    notice = StringProperty("")
    expired = BooleanProperty(False)
    loaded = BooleanProperty(False)
    qr = ObjectProperty(None, allownone=True)
    payload = StringProperty("")  # what the QR code shows: a one-time token
    personal = ("qr", "payload")
    _event = None

    def on_enter(self, *_a) -> None:
        self._event = Clock.schedule_interval(self._tick, TICK_S)

    def on_leave(self, *_a) -> None:
        if self._event is not None:
            self._event.cancel()

    def _tick(self, _dt: float) -> None:
        self.refresh(self.app)

    def refresh(self, app) -> None:
        ctl = app.controller
        self.notice = app.t(ctl.notice) if ctl.notice else ""
        view = self.flow.voucher_view(app.lang)
        self.loaded = view is not None
        if view is None:
            self.qr, self.payload, self.countdown, self.expired = None, "", "", False
            return
        self.countdown, self.expired = view.countdown, view.expired
        if view.payload != self.payload:
            self.payload = view.payload
            self.qr = qr_texture(view.payload) if view.payload else None
