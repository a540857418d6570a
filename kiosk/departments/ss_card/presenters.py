"""What the 社保卡 screen shows: a pure function of the card's state (no Kivy, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from common.privacy import mask_name, personal
from kiosk.departments.ss_card.state import CardState, CardStep
from kiosk.i18n import local
from kiosk.records import Translate

TONES = {"normal": "ok", "temp_loss": "bad", "formal_loss": "bad", "making": "warn"}
# step → the action button's text key; no entry: no button. The button sends the report
# in the steps of SENDS, and asks the card's status again in the others.
ACTIONS = {
    "confirm": "sscard.confirm_button",
    "not_done": "sscard.send_again",
    "unknown": "sscard.ask_again",
    "down": "sscard.ask_again",
    "refused": "sscard.ask_again",
}
SENDS = ("confirm", "not_done")


@personal
@dataclass(frozen=True)
class CardView:
    holder: str = ""
    status: str = ""
    tone: str = ""
    card_no: str = ""
    bank: str = ""
    dates: str = ""
    note: str = ""
    message: str = ""  # the confirmation text, or what came of the report
    action: str = ""  # the action button's text; "" hides it
    step: str = "status"
    loaded: bool = False


def present_card(state: CardState, t: Translate, lang: str) -> CardView:
    card, step = state.card, state.step
    if card is None:
        return CardView(step=step.name)
    status, tone = local(card.status_zh, card.status_en, lang), TONES.get(card.status, "")
    if step.name == "unknown":  # what was shown before the report may no longer hold
        status, tone = t("sscard.status_unknown"), "warn"
    if step.name == "status":
        action = t("sscard.report") if card.can_report_loss else ""
    else:
        key = ACTIONS.get(step.name)
        action = t(key) if key else ""
    return CardView(
        holder=t("sscard.holder", name=mask_name(card.holder_name)), status=status, tone=tone,
        card_no=card.card_no_masked, bank=local(card.bank_zh, card.bank_en, lang),
        dates=t("sscard.dates", issued=card.issued_on, since=card.status_since),
        note=local(card.note_zh, card.note_en, lang),
        message=_message(t, step, card.card_no_masked), action=action, step=step.name,
        loaded=True,
    )


def _message(t: Translate, step: CardStep, card_no: str) -> str:
    if step.name == "status":
        return ""
    if step.name == "confirm":
        return t("sscard.confirm", card=card_no)
    if step.name == "reported":
        if step.report_ref:
            return t("sscard.reported", ref=step.report_ref, at=step.reported_at)
        return t("sscard.reported_found", at=step.reported_at)
    return t(f"sscard.step.{step.name}")
