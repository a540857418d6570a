"""公积金 account: balance and status, and the way to its lists and certificate."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.departments.housing_fund.flow import HousingFundFlow
from kiosk.departments.housing_fund.presenters import present_account
from kiosk.departments.housing_fund.state import HousingFundState
from screens.base import KioskScreen


class HousingFundScreen(KioskScreen):
    flow_type = HousingFundFlow
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
        printer = app.hub.statuses.get("printer")
        view = present_account(ctl.session.state(HousingFundState).account,
                               app.t(ctl.notice) if ctl.notice else "",
                               printer is None or printer.usable, app.t, app.lang)
        self.show(view)
