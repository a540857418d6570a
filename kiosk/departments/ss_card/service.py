"""社保卡: the card's status and a temporary loss report (临时挂失), as typed values.

The loss report carries an idempotency key that the caller has stored before sending
(``kiosk/loss_reports.py``): the back end answers the same key with the same report.
"""

from __future__ import annotations

from kiosk.services.gateway import BackendClient, parse
from kiosk.services.values import PersonalValue

STATUS_PATH = "/api/v1/social-security/card/status"
REPORT_PATH = "/api/v1/social-security/card/loss-report"


class CardStatus(PersonalValue):
    holder_name: str
    card_no_masked: str
    status: str  # "normal" | "temp_loss" | "formal_loss" | "making" | ... (shown by its texts)
    status_zh: str
    status_en: str
    note_zh: str
    note_en: str
    bank_zh: str
    bank_en: str
    issued_on: str
    status_since: str
    can_report_loss: bool


class LossReport(PersonalValue):
    report_ref: str
    reported_at: str
    card: CardStatus


class SocialSecurityCardService:
    def __init__(self, client: BackendClient) -> None:
        self._client = client

    def status(self, id_number: str) -> CardStatus:
        """Raises ServiceError; ``not_found``: unknown person, or no card."""
        data = self._client.post_json(STATUS_PATH, {"id_number": id_number})
        return parse(CardStatus, data, "card status")

    def report_loss(self, id_number: str, idempotency_key: str) -> LossReport:
        """Raises ServiceError: ``rejected`` (409) if the card cannot be reported lost;
        ``timeout`` / ``bad_response``: the outcome is unknown, ask ``status``."""
        data = self._client.post_json(
            REPORT_PATH, {"id_number": id_number, "idempotency_key": idempotency_key})
        return parse(LossReport, data, "loss report")
