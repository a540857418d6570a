"""How the records screen shows 公积金 lists: pure functions of a typed answer."""

from __future__ import annotations

from dataclasses import dataclass

from common.privacy import mask_name, personal
from kiosk.departments.housing_fund.service import Account, Contributions, Loans, Withdrawals
from kiosk.i18n import local
from kiosk.records import (
    ContributionKeys,
    Listing,
    Row,
    Translate,
    present_contributions,
    yuan,
)

INSTALMENT_TONES = {"paid": "ok", "overdue": "bad", "due": "warn", "upcoming": ""}
STAGE_TONES = {"paid": "ok", "rejected": "bad"}  # anything else is still in progress
STATUS_TONES = {"normal": "ok", "frozen": "bad"}


CONTRIBUTION_KEYS = ContributionKeys(back_pay="hf.back_pay", detail="hf.contrib.detail",
                                     summary="hf.contrib.summary", none="hf.contrib.none")


def present_history(c: Contributions, t: Translate, _lang: str) -> Listing:
    return present_contributions(c.holder_name, c.months, c.total_fen, CONTRIBUTION_KEYS, t)


def present_loans(loans: Loans, t: Translate, lang: str) -> Listing:
    if not loans.loans:
        return Listing(t("hf.holder", name=mask_name(loans.holder_name)),
                       empty=t("hf.loan.none"))
    loan = loans.loans[0]
    lines = [
        t("hf.loan.contract", contract=loan.contract_no_masked,
          bank=local(loan.bank, loan.bank_en, lang)),
        t("hf.loan.terms", principal=yuan(loan.principal_fen), rate=f"{loan.rate_bp / 100:g}",
          term=loan.term_months),
        t("hf.loan.settled") if loan.status == "settled" else
        t("hf.loan.progress", paid=loan.paid_periods, remaining=yuan(loan.remaining_fen)),
    ]
    if loan.overdue_periods:
        lines.append(t("hf.loan.overdue", n=loan.overdue_periods))
    if len(loans.loans) > 1:
        lines.append(t("hf.loan.more", n=len(loans.loans) - 1))
    rows = [
        Row(
            title=t("hf.loan.period", n=i.period, date=i.due_on),
            detail=t("hf.loan.detail", state=t(f"hf.instalment.{i.status}"),
                     principal=yuan(i.principal_fen), interest=yuan(i.interest_fen)),
            value=yuan(i.total_fen),
            tone=INSTALMENT_TONES.get(i.status, ""),
        )
        for i in loan.schedule
    ]
    # Open at the first instalment not yet paid: what the citizen came to see.
    focus = next((n for n, i in enumerate(loan.schedule) if i.status != "paid"), 0)
    return Listing("\n".join(lines), rows, focus=focus)


def present_withdrawals(w: Withdrawals, t: Translate, lang: str) -> Listing:
    rows = []
    for x in w.withdrawals:
        stage = local(x.stage_zh, x.stage_en, lang)
        detail = t("hf.wd.detail", applied=x.applied_on, stage=stage, updated=x.updated_on)
        if x.note:
            detail += "\n" + x.note
        rows.append(Row(local(x.type_zh, x.type_en, lang), detail, yuan(x.amount_fen),
                        STAGE_TONES.get(x.stage, "warn")))
    open_count = sum(1 for x in w.withdrawals if x.stage not in STAGE_TONES)
    summary = t("hf.wd.summary", name=mask_name(w.holder_name), n=len(rows), open=open_count)
    return Listing(summary, rows, empty=t("hf.wd.none"))


@personal
@dataclass(frozen=True)
class AccountView:
    """The 公积金 account screen, ready to show."""

    holder: str = ""
    balance: str = ""
    status: str = ""
    tone: str = ""
    account_no: str = ""
    unit: str = ""
    monthly: str = ""
    paid_until: str = ""
    notice: str = ""
    loaded: bool = False
    can_print: bool = False


def present_account(acc: Account | None, notice: str, printer_ok: bool, t: Translate,
                    lang: str) -> AccountView:
    """``notice``: the controller's (already in words), "" if none."""
    if acc is None:
        return AccountView(notice=notice)
    frozen = acc.status == "frozen"
    if frozen:
        notice = t("hf.frozen", reason=local(acc.status_reason, acc.status_reason_en, lang))
    elif not printer_ok:
        notice = t("print.printer_down")
    return AccountView(
        holder=t("hf.holder", name=mask_name(acc.holder_name)),
        balance=yuan(acc.balance_fen),
        status=local(acc.status_zh, acc.status_en, lang),
        tone=STATUS_TONES.get(acc.status, ""),
        account_no=acc.account_no_masked,
        unit=acc.unit,
        monthly=t("hf.monthly_value", amount=yuan(acc.monthly_fen),
                  unit=f"{acc.unit_rate_bp / 100:g}", personal=f"{acc.personal_rate_bp / 100:g}"),
        paid_until=acc.paid_until or "—",
        notice=notice, loaded=True, can_print=printer_ok and not frozen,
    )
