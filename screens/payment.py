"""罚款缴纳: the order's QR code for the citizen's phone, polled until it is paid."""

from __future__ import annotations

from datetime import datetime

import qrcode
from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.properties import ObjectProperty, StringProperty
from PIL import Image

from kiosk.flows.fine_payment import PAYMENT_KEY
from kiosk.records import yuan
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
        from kivy.app import App

        App.get_running_app().controller.flows["traffic"].payment.poll()

    def refresh(self, app) -> None:
        ctl = app.controller
        self.notice = app.t(ctl.notice) if ctl.notice else ""
        payment = ctl.session.results.get(PAYMENT_KEY)
        if payment is None:
            self.clear()
            return
        order = payment.order
        self.act = payment.act_zh if app.lang == "zh" else payment.act_en
        self.amount = app.t("pay.amount", amount=yuan(order.amount_fen))
        self.state = order.status
        if order.status == "pending":
            if order.pay_url != self._shown_url:
                self.qr, self._shown_url = qr_texture(order.pay_url), order.pay_url
            key = "pay.checking" if payment.trouble else "pay.waiting"
            self.message = app.t(key, until=_clock_time(order.expires_at))
        else:
            self.qr, self._shown_url = None, ""
            self.message = app.t(f"pay.{order.status}")

    def clear(self) -> None:
        super().clear()
        self.state, self.notice, self._shown_url = "", "", ""


def _clock_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%H:%M")
    except ValueError:
        return ""
