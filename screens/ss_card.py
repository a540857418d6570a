"""社保卡状态 and 临时挂失: the card, one action button that follows the flow's step
(report → confirm → result, or ask the status again), and what happened in words."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.departments.social_security.flow import SocialSecurityFlow
from kiosk.departments.ss_card.flow import SocialSecurityCardFlow
from kiosk.departments.ss_card.presenters import ACTIONS, SENDS, present_card
from kiosk.departments.ss_card.state import CardState
from screens.base import KioskScreen


class SocialSecurityCardScreen(KioskScreen):
    flow_type = SocialSecurityCardFlow
    holder = StringProperty("")
    status = StringProperty("")
    tone = StringProperty("")
    card_no = StringProperty("")
    bank = StringProperty("")
    dates = StringProperty("")
    note = StringProperty("")
    message = StringProperty("")  # the confirmation text, or what came of the report
    notice = StringProperty("")  # loading, or why there is nothing to show
    action = StringProperty("")  # the action button's text; "" hides it
    step = StringProperty("status")
    loaded = BooleanProperty(False)
    personal = ("holder", "status", "card_no", "bank", "dates", "note", "message")

    def refresh(self, app) -> None:
        ctl = app.controller
        self.notice = app.t(ctl.notice) if ctl.notice else ""
        self.show(present_card(ctl.session.state(CardState), app.t, app.lang))

    def back_to_status(self) -> None:
        """社保's screen again, asked afresh."""
        self.app.controller.flow(SocialSecurityFlow).open()

    def act(self, app) -> None:
        flow = self.flow
        if self.step == "status":
            flow.ask_report()
        elif self.step in SENDS:
            flow.confirm_report()
        elif self.step in ACTIONS:
            flow.open()  # ask again
