"""How the records screen shows 公积金 lists: pure functions of a typed answer."""

from __future__ import annotations

from common.privacy import mask_name
from kiosk.i18n import local
from kiosk.records import Listing, Row, Translate, yuan
from kiosk.services.housing_fund import Contributions, Loans, Withdrawals

INSTALMENT_TONES = {"paid": "ok", "overdue": "bad", "due": "warn", "upcoming": ""}
STAGE_TONES = {"paid": "ok", "rejected": "bad"}  # anything else is still in progress


def present_contributions(c: Contributions, t: Translate, _lang: str) -> Listing:
    rows = [
        Row(
            title=m.month + (f"  {t('hf.back_pay')}" if m.kind == "back_pay" else ""),
            detail=t("hf.contrib.detail", unit=yuan(m.unit_fen), personal=yuan(m.personal_fen)),
            value=yuan(m.unit_fen + m.personal_fen),
            tone="warn" if m.kind == "back_pay" else "",
        )
        for m in c.months
    ]
    summary = t("hf.contrib.summary", name=mask_name(c.holder_name), months=len(rows),
                total=yuan(c.total_fen))
    return Listing(summary, rows, empty=t("hf.contrib.none"))


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
    zh = lang == "zh"
    rows = []
    for x in w.withdrawals:
        stage = x.stage_zh if zh else x.stage_en
        detail = t("hf.wd.detail", applied=x.applied_on, stage=stage, updated=x.updated_on)
        if x.note:
            detail += "\n" + x.note
        rows.append(Row(x.type_zh if zh else x.type_en, detail, yuan(x.amount_fen),
                        STAGE_TONES.get(x.stage, "warn")))
    open_count = sum(1 for x in w.withdrawals if x.stage not in STAGE_TONES)
    summary = t("hf.wd.summary", name=mask_name(w.holder_name), n=len(rows), open=open_count)
    return Listing(summary, rows, empty=t("hf.wd.none"))
