"""医保's back-end calls over the signed ``BackendClient``, answered as typed values.

Lenient on purpose (plain ``str`` codes, extra fields ignored): a back end that adds a
category or a field does not break kiosks in the field; codes it does not know are
shown by the texts it sends beside them (``*_zh`` / ``*_en``).
"""

from __future__ import annotations

from pydantic import TypeAdapter, ValidationError

from kiosk.printing.certificate import Certificate
from kiosk.services.gateway import BackendClient, ServiceError, parse
from kiosk.services.values import PersonalValue

BASE = "/api/v1/medical-insurance"
_CERTIFICATE = TypeAdapter(Certificate)


class Filing(PersonalValue):
    filing_ref: str
    city_code: str
    city_zh: str
    city_en: str
    reason: str  # "long_term_residence" | "work_elsewhere" | "referral" | "temporary"
    reason_zh: str
    reason_en: str
    start_date: str  # YYYY-MM-DD
    end_date: str  # "" for a long-term filing
    filed_at: str


class MedicalStatus(PersonalValue):
    holder_name: str
    insured: bool  # covered today
    scheme: str  # "employee" (职工医保) | "resident" (居民医保)
    scheme_zh: str
    scheme_en: str
    category: str  # "working" | "retired" | "flexible" | "student"
    category_zh: str
    category_en: str
    state: str  # "insured" | "suspended" | "lapsed"
    state_zh: str
    state_en: str
    note_zh: str
    note_en: str
    since: str
    place_zh: str
    place_en: str
    has_account: bool
    filing: Filing | None = None


class Spending(PersonalValue):
    spent_at: str  # "YYYY-MM-DD HH:MM"
    kind: str  # "pharmacy" | "outpatient" | "inpatient"
    kind_zh: str
    kind_en: str
    place: str
    place_en: str = ""
    total_fen: int
    fund_fen: int
    account_fen: int
    cash_fen: int


class Account(PersonalValue):
    holder_name: str
    account_state: str  # "normal" | "frozen"
    account_state_zh: str
    account_state_en: str
    note_zh: str = ""
    note_en: str = ""
    balance_fen: int
    spending: tuple[Spending, ...]  # newest first
    total_account_fen: int


class Voucher(PersonalValue):
    qr_payload: str  # what the QR code encodes: a one-time token, nothing personal
    expires_at: str  # ISO, China time
    valid_seconds: int


class Option(PersonalValue):
    code: str
    name_zh: str
    name_en: str


class FilingOptions(PersonalValue):
    cities: tuple[Option, ...]
    reasons: tuple[Option, ...]
    max_days_ahead: int


class MedicalService:
    def __init__(self, client: BackendClient) -> None:
        self._client = client

    def _post(self, path: str, body: dict):
        return self._client.post_json(f"{BASE}/{path}", body)

    def status(self, id_number: str) -> MedicalStatus:
        """Raises ServiceError; ``not_found``: no such person or no record."""
        return parse(MedicalStatus, self._post("status", {"id_number": id_number}),
                     "medical status")

    def account(self, id_number: str) -> Account:
        """The personal account and its spending. ``not_found``: no personal account."""
        return parse(Account, self._post("account", {"id_number": id_number}),
                     "medical account")

    def voucher(self, id_number: str) -> Voucher:
        """A fresh e-voucher payload. ``rejected`` (409): not insured this year."""
        return parse(Voucher, self._post("e-voucher", {"id_number": id_number}),
                     "e-voucher")

    def filing_options(self) -> FilingOptions:
        return parse(FilingOptions, self._client.get_json(f"{BASE}/filing-options"),
                     "filing options")

    def file(self, id_number: str, key: str, city_code: str, reason: str,
             start_date: str) -> Filing:
        """异地就医备案 under ``key``: the same key and form get the same filing back.
        ``rejected``: already filed, not insured, or the key was used for another form;
        ``timeout`` / ``bad_response``: the outcome is unknown, ask ``status``."""
        body = {"id_number": id_number, "idempotency_key": key, "city_code": city_code,
                "reason": reason, "start_date": start_date}
        return parse(Filing, self._post("filings", body), "filing")

    def certificate(self, id_number: str) -> Certificate:
        """参保凭证. ``not_found`` also when the person is not insured this year."""
        data = self._post("certificates", {"id_number": id_number})
        try:
            return _CERTIFICATE.validate_python(data)
        except ValidationError as exc:  # only the locations: the values are personal
            locs = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors()[:5])
            raise ServiceError("bad_response", f"certificate: unexpected shape at {locs}"
                               ) from None
