"""社保卡状态 and 临时挂失: the card, one action button that follows the flow's step
(report → confirm → result, or ask the status again), and what happened in words."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from common.privacy import mask_name
from kiosk.departments.social_security.flow import SocialSecurityFlow
from kiosk.departments.ss_card.flow import SocialSecurityCardFlow
from kiosk.departments.ss_card.state import CardState
from kiosk.i18n import local
from screens.base import KioskScreen

TONES = {"normal": "ok", "temp_loss": "bad", "formal_loss": "bad", "making": "warn"}
# step → (the action button's text key, what it does); no entry: no button.
ACTIONS = {
    "confirm": ("sscard.confirm_button", "confirm_report"),
    "not_done": ("sscard.send_again", "confirm_report"),
    "unknown": ("sscard.ask_again", "open"),
    "down": ("sscard.ask_again", "open"),
    "refused": ("sscard.ask_again", "open"),
}


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
        state = ctl.session.state(CardState)
        card, step = state.card, state.step
        self.step = step.name
        self.loaded = card is not None
        if card is None:
            self.holder = self.status = self.card_no = self.bank = self.dates = ""
            self.note = self.message = self.action = ""
            return
        lang = app.lang
        self.holder = app.t("sscard.holder", name=mask_name(card.holder_name))
        self.status = local(card.status_zh, card.status_en, lang)
        self.tone = TONES.get(card.status, "")
        if step.name == "unknown":  # what was shown before the report may no longer hold
            self.status, self.tone = app.t("sscard.status_unknown"), "warn"
        self.card_no = card.card_no_masked
        self.bank = local(card.bank_zh, card.bank_en, lang)
        self.dates = app.t("sscard.dates", issued=card.issued_on, since=card.status_since)
        self.note = local(card.note_zh, card.note_en, lang)
        self.message = self._message(app, step, card.card_no_masked)
        if step.name == "status":
            self.action = app.t("sscard.report") if card.can_report_loss else ""
        else:
            key = ACTIONS.get(step.name)
            self.action = app.t(key[0]) if key else ""

    @staticmethod
    def _message(app, step, card_no: str) -> str:
        if step.name == "status":
            return ""
        if step.name == "confirm":
            return app.t("sscard.confirm", card=card_no)
        if step.name == "reported":
            if step.report_ref:
                return app.t("sscard.reported", ref=step.report_ref, at=step.reported_at)
            return app.t("sscard.reported_found", at=step.reported_at)
        return app.t(f"sscard.step.{step.name}")

    def back_to_status(self) -> None:
        """社保's screen again, asked afresh."""
        self.app.controller.flow(SocialSecurityFlow).open()

    def act(self, app) -> None:
        flow = self.flow
        if self.step == "status":
            flow.ask_report()
        elif self.step in ACTIONS:
            getattr(flow, ACTIONS[self.step][1])()
