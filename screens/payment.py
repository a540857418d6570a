"""罚款缴纳: the order's QR code for the citizen's phone, polled until it is paid."""

from __future__ import annotations

from datetime import datetime

import qrcode
from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.properties import ObjectProperty, StringProperty
from PIL import Image

from kiosk.departments.traffic.flow import TrafficFlow
from kiosk.departments.traffic.presenters import present_payment
from kiosk.departments.traffic.state import TrafficState
from screens.base import KioskScreen

POLL_S = 2.0  # how often the order is asked about while the QR code is shown


def qr_texture(data: str) -> Texture:
    """The QR code as a Kivy texture: sharp modules (nearest filter), a quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image().get_image().convert("L")
    texture = Texture.create(size=image.size, colorfmt="luminance")
    pixels = image.transpose(Image.Transpose.FLIP_TOP_BOTTOM).tobytes()  # GL rows go up
    texture.blit_buffer(pixels, colorfmt="luminance", bufferfmt="ubyte")
    texture.mag_filter = texture.min_filter = "nearest"
    return texture


class PaymentScreen(KioskScreen):
    flow_type = TrafficFlow
    act = StringProperty("")
    amount = StringProperty("")
    state = StringProperty("")  # "", "pending", "paid", "cancelled", "expired"
    message = StringProperty("")
    notice = StringProperty("")
    qr = ObjectProperty(None, allownone=True)
    personal = ("act", "amount", "message", "qr")
    _shown_url = ""
    _event = None

    def on_enter(self, *_a) -> None:
        self._event = Clock.schedule_interval(self._poll, POLL_S)

    def on_leave(self, *_a) -> None:
        if self._event is not None:
            self._event.cancel()

    def _poll(self, _dt: float) -> None:
        self.flow.payment.poll()

    def refresh(self, app) -> None:
        ctl = app.controller
        self.notice = app.t(ctl.notice) if ctl.notice else ""
        view = present_payment(ctl.session.state(TrafficState).payment, app.t, app.lang,
                               _clock_time)
        if not view.state:
            self.clear()
            return
        self.act, self.amount, self.state, self.message = (view.act, view.amount, view.state,
                                                           view.message)
        if not view.pay_url:
            self.qr, self._shown_url = None, ""
        elif view.pay_url != self._shown_url:
            self.qr, self._shown_url = qr_texture(view.pay_url), view.pay_url

    def clear(self) -> None:
        super().clear()
        self.state, self.notice, self._shown_url = "", "", ""


def _clock_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%H:%M")
    except ValueError:
        return ""
