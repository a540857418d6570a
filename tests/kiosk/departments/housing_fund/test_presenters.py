"""What the records screen shows of 公积金 lists."""

from __future__ import annotations

from kiosk.departments.housing_fund.presenters import present_loans, present_withdrawals
from kiosk.departments.housing_fund.service import Instalment, Loan, Loans, Withdrawal, Withdrawals
from kiosk.i18n import Catalog

CATALOG = Catalog.load()


def t_for(lang: str):
    return lambda key, _lang=None, **values: CATALOG.text(key, lang, **values)


def loan(statuses: list[str], state: str = "repaying") -> Loan:
    schedule = tuple(
        Instalment(period=n, due_on=f"2026-{n:02d}-20", principal_fen=100000, interest_fen=5000,
                   total_fen=105000, remaining_fen=100000 * (len(statuses) - n), status=s)
        for n, s in enumerate(statuses, start=1))
    return Loan(contract_no_masked="GJJ2019*****8123", bank="中国建设银行深圳分行",
                principal_fen=100000 * len(statuses), rate_bp=310, term_months=len(statuses),
                status=state, paid_periods=statuses.count("paid"),
                overdue_periods=statuses.count("overdue"), remaining_fen=300000,
                schedule=schedule)


def test_a_schedule_opens_at_the_first_unpaid_instalment() -> None:
    one = loan(["paid", "paid", "overdue", "due", "upcoming"])
    listing = present_loans(Loans("张示例", (one,)), t_for("zh"), "zh")
    assert listing.focus == 2
    assert [r.tone for r in listing.rows] == ["ok", "ok", "bad", "warn", ""]
    assert listing.rows[2].title == "第 3 期  2026-03-20"
    assert listing.rows[2].detail == "逾期 · 本金 1,000.00 · 利息 50.00"
    assert "逾期 1 期" in listing.summary and "张" not in listing.summary  # no name needed


def test_settled_loan_and_more_loans_and_none() -> None:
    two = Loans("孙样例", (loan(["paid"], "settled"), loan(["paid"], "settled")))
    listing = present_loans(two, t_for("en"), "en")
    assert "Repaid in full" in listing.summary and "1 more loan(s)" in listing.summary
    none = present_loans(Loans("王测试", ()), t_for("zh"), "zh")
    assert none.rows == () and none.empty == "您没有公积金贷款" and "王*" in none.summary


def test_withdrawal_rows_say_their_stage_in_words_not_only_colour() -> None:
    w = Withdrawal(ref="TQ1", type="rent", type_zh="租房提取", type_en="Rent", amount_fen=1800000,
                   applied_on="2023-03-02", stage="rejected", stage_zh="未通过",
                   stage_en="Rejected", updated_on="2023-03-06", note="请补充材料")
    row = present_withdrawals(Withdrawals("孙样例", (w,)), t_for("zh"), "zh").rows[0]
    assert (row.title, row.value, row.tone) == ("租房提取", "18,000.00", "bad")
    assert row.detail == "2023-03-02 申请 · 未通过（2023-03-06）\n请补充材料"
