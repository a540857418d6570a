"""公积金 account: balance and status, and the way to its lists and certificate."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from common.privacy import mask_name
from kiosk.flows.housing_fund import ACCOUNT_KEY
from kiosk.i18n import local
from kiosk.records import yuan
from screens.base import KioskScreen

STATUS_TONES = {"normal": "ok", "frozen": "bad"}


class HousingFundScreen(KioskScreen):
    holder = StringProperty("")
    balance = StringProperty("")
    status = StringProperty("")
    tone = StringProperty("")
    account_no = StringProperty("")
    unit = StringProperty("")
    monthly = StringProperty("")
    paid_until = StringProperty("")
    notice = StringProperty("")
    loaded = BooleanProperty(False)
    can_print = BooleanProperty(False)
    personal = ("holder", "balance", "status", "tone", "account_no", "unit", "monthly",
                "paid_until")

    def refresh(self, app) -> None:
        ctl = app.controller
        self.notice = app.t(ctl.notice) if ctl.notice else ""
        acc = ctl.session.results.get(ACCOUNT_KEY)
        self.loaded = acc is not None
        if acc is None:
            self.clear()
            self.can_print = False
            return
        zh = app.lang == "zh"
        self.holder = app.t("hf.holder", name=mask_name(acc.holder_name))
        self.balance = yuan(acc.balance_fen)
        self.status = acc.status_zh if zh else acc.status_en
        self.tone = STATUS_TONES.get(acc.status, "")
        self.account_no = acc.account_no_masked
        self.unit = acc.unit
        self.monthly = app.t("hf.monthly_value", amount=yuan(acc.monthly_fen),
                             unit=f"{acc.unit_rate_bp / 100:g}",
                             personal=f"{acc.personal_rate_bp / 100:g}")
        self.paid_until = acc.paid_until or "—"
        printer = app.hub.statuses.get("printer")
        printer_ok = printer is None or printer.usable
        frozen = acc.status == "frozen"
        if frozen:
            self.notice = app.t("hf.frozen",
                                reason=local(acc.status_reason, acc.status_reason_en, app.lang))
        elif not printer_ok:
            self.notice = app.t("print.printer_down")
        self.can_print = printer_ok and not frozen
