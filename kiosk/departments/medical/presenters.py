"""What 医保's screens show, computed from typed answers: pure, no Kivy, zh and en."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from common.privacy import mask_name, personal
from kiosk.departments.medical.service import (
    Account,
    Filing,
    FilingOptions,
    MedicalStatus,
    Spending,
)
from kiosk.departments.medical.state import FilingDraft, FilingStep
from kiosk.departments.medical.texts import say
from kiosk.i18n import local
from kiosk.records import Listing, Row, yuan


@personal
@dataclass(frozen=True)
class StatusView:
    holder: str
    lines: Sequence[tuple[str, str]]  # (label, value)
    note: str
    tone: str  # "ok" | "warn" | "bad"
    can_account: bool
    can_voucher: bool
    can_file: bool
    can_print: bool
    hint: str  # why some buttons are off, or ""


def present_status(s: MedicalStatus, lang: str) -> StatusView:
    lines = [
        (say("scheme", lang), local(s.scheme_zh, s.scheme_en, lang)),
        (say("category", lang), local(s.category_zh, s.category_en, lang)),
        (say("state", lang), local(s.state_zh, s.state_en, lang)),
        (say("since", lang), say("since_value", lang, since=s.since)),
        (say("place", lang), local(s.place_zh, s.place_en, lang)),
        (say("filing", lang), filing_line(s.filing, lang) if s.filing
         else say("filing_none", lang)),
    ]
    tone = {"insured": "ok", "suspended": "warn"}.get(s.state, "bad")
    hint = ""
    if s.state == "lapsed":
        hint = say("not_insured", lang)
    elif not s.has_account:
        hint = say("no_account", lang)
    return StatusView(
        holder=say("holder", lang, name=mask_name(s.holder_name)), lines=lines,
        note=local(s.note_zh, s.note_en, lang), tone=tone,
        can_account=s.has_account, can_voucher=s.state != "lapsed",
        can_file=s.insured and s.filing is None, can_print=s.state != "lapsed", hint=hint,
    )


def filing_line(f: Filing, lang: str) -> str:
    return say("filing_value", lang, city=local(f.city_zh, f.city_en, lang),
               reason=local(f.reason_zh, f.reason_en, lang))


# -- the spending list, for the records screen ---------------------------------------------

_TONES = {"inpatient": "warn"}  # a hospital stay stands out; the text says it too


def _detail(s: Spending, lang: str) -> str:
    """Where, and how the bill was split: only the parts that are not zero."""
    parts = [local(s.place, s.place_en, lang)]
    if s.fund_fen or s.cash_fen:
        parts.append(say("spending_total", lang, amount=yuan(s.total_fen)))
    if s.fund_fen:
        parts.append(say("spending_fund", lang, amount=yuan(s.fund_fen)))
    if s.cash_fen:
        parts.append(say("spending_cash", lang, amount=yuan(s.cash_fen)))
    return " · ".join(parts)


def present_spending(account: Account, _t: object, lang: str) -> Listing:
    """Signature of ``RecordsView.present``; the catalog ``_t`` is not needed here."""
    state = local(account.account_state_zh, account.account_state_en, lang)
    summary = say("balance", lang, name=mask_name(account.holder_name),
                  balance=yuan(account.balance_fen), state=state)
    if account.note_zh:
        summary += "\n" + local(account.note_zh, account.note_en, lang)
    elif account.spending:
        summary += "\n" + say("spent", lang, count=len(account.spending),
                              total=yuan(account.total_account_fen))
    rows = [
        Row(title=f"{s.spent_at}  {local(s.kind_zh, s.kind_en, lang)}",
            detail=_detail(s, lang),
            value=f"¥{yuan(s.account_fen)}", tone=_TONES.get(s.kind, ""))
        for s in account.spending
    ]
    return Listing(summary, rows, empty=say("no_spending", lang))


# -- the e-voucher ------------------------------------------------------------------------

@dataclass(frozen=True)
class VoucherView:
    payload: str  # "" once expired: the screen draws no code
    countdown: str
    expired: bool


def present_voucher(payload: str, valid_seconds: int, shown_for: float,
                    lang: str) -> VoucherView:
    left = int(valid_seconds - shown_for)
    if left <= 0:
        return VoucherView("", say("voucher_expired", lang), True)
    return VoucherView(payload, say("voucher_left", lang, seconds=left), False)


# -- the 备案 form ------------------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    chosen: bool


@dataclass(frozen=True)
class FormView:
    cities: Sequence[Choice]
    reasons: Sequence[Choice]
    starts: Sequence[Choice]
    can_continue: bool
    hint: str


def start_choices(today: date) -> list[tuple[str, date]]:
    """Four starts the form offers, all within the back end's 90 days."""
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return [("start_today", today), ("start_tomorrow", today + timedelta(days=1)),
            ("start_week", today + timedelta(days=7)), ("start_month", next_month)]


def present_form(options: FilingOptions, draft: FilingDraft, today: date,
                 lang: str) -> FormView:
    def choices(items, chosen: str) -> list[Choice]:
        return [Choice(o.code, local(o.name_zh, o.name_en, lang), o.code == chosen)
                for o in items]

    starts = [Choice(d.isoformat(), say(key, lang, date=d.strftime("%m-%d")),
                     d.isoformat() == draft.start_date) for key, d in start_choices(today)]
    return FormView(choices(options.cities, draft.city_code),
                    choices(options.reasons, draft.reason), starts,
                    can_continue=draft.complete,
                    hint="" if draft.complete else say("form_missing", lang))


def present_confirm(options: FilingOptions, draft: FilingDraft, lang: str
                    ) -> list[tuple[str, str]]:
    """The lines the citizen checks before filing: city, reason, start, validity."""
    city = next(o for o in options.cities if o.code == draft.city_code)
    reason = next(o for o in options.reasons if o.code == draft.reason)
    long_term = draft.reason in ("long_term_residence", "work_elsewhere")
    end = (say("confirm_end_long", lang) if long_term else say(
        "confirm_end", lang,
        date=(date.fromisoformat(draft.start_date) + timedelta(days=180)).isoformat()))
    return [(say("city_label", lang), local(city.name_zh, city.name_en, lang)),
            (say("reason_label", lang), local(reason.name_zh, reason.name_en, lang)),
            (say("start_label", lang), draft.start_date),
            ("", end)]


@dataclass(frozen=True)
class OutcomeView:
    headline: str
    detail: str
    tone: str  # "ok" | "warn" | "bad" | ""
    can_retry: bool  # "send again": the same key, never a second filing


def present_outcome(step: FilingStep, lang: str) -> OutcomeView:
    f = step.filing
    if step.name == "sending":
        return OutcomeView(say("sending", lang), "", "", False)
    if step.name in ("filed", "already") and f is not None:
        detail = say("filed_detail", lang, ref=f.filing_ref,
                     city=local(f.city_zh, f.city_en, lang),
                     reason=local(f.reason_zh, f.reason_en, lang), start=f.start_date)
        return OutcomeView(say(step.name, lang), detail, "ok" if step.name == "filed" else "warn",
                           False)
    if step.name == "refused":
        why = local(step.why, step.why_en, lang) or say("refused_other", lang)
        return OutcomeView(say("refused", lang, why=why), "", "bad", False)
    if step.name in ("not_done", "unknown"):
        return OutcomeView(say(step.name, lang), "", "warn", True)
    if step.name == "down":
        return OutcomeView(say("down", lang), "", "bad", True)
    return OutcomeView("", "", "", False)
