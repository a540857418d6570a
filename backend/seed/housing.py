"""公积金 seed: accounts, contribution months, loans and withdrawals of the demo citizens.

Edge cases: 王测试 and 刘虚构 have no account; 赵样本's account is frozen (司法冻结)
and his loan is two instalments overdue; 李演示's account was closed at retirement;
孙样例 has 358 contribution months, a settled loan and a rejected withdrawal;
陈模拟 has a withdrawal under review. Amounts in fen; rates in basis points.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from backend.seed.months import add, index, span

LAST_CLOSED = "2026-10"


@dataclass(frozen=True)
class Account:
    account_no: str
    status: str  # "normal" | "frozen" | "sealed" | "closed"
    unit: str
    first_month: str
    months: int
    base_fen: int  # the latest contribution base
    unit_bp: int  # the employer's rate, basis points (1200 = 12 %)
    personal_bp: int
    balance_fen: int
    frozen_reason: str = ""


@dataclass(frozen=True)
class Loan:
    contract_no: str
    bank: str
    principal_fen: int
    rate_bp: int  # yearly
    term_months: int
    first_due: str  # YYYY-MM; instalments fall due on the 20th
    paid_periods: int
    overdue_periods: int = 0


@dataclass(frozen=True)
class Withdrawal:
    ref: str
    type: str  # "rent" | "purchase" | "retirement"
    amount_fen: int
    applied_on: str
    stage: str  # "submitted" | "review" | "approved" | "paid" | "rejected"
    updated_on: str
    note: str = ""


ACCOUNTS = {
    "440304198803121237": Account("4403010012345671", "normal", "深圳市示例科技有限公司",
                                  add(LAST_CLOSED, -127), 128, 1200000, 1200, 1200, 21856000),
    "440303196208152340": Account("4403010023456782", "closed", "深圳市演示机械厂",
                                  "1999-01", 164, 300000, 800, 800, 0),
    "440306197902041230": Account("4403010034567893", "frozen", "深圳市测试物流有限公司",
                                  "2008-06", 96, 800000, 1000, 1000, 6800000,
                                  "司法冻结（深圳市示例区人民法院）"),
    "44030719850917234X": Account("4403010045678904", "normal", "灵活就业人员（个人缴存）",
                                  add(LAST_CLOSED, -69), 70, 500000, 0, 1000, 2113000),
    "440305199607282341": Account("4403010056789015", "normal", "深圳市例子文化传媒有限公司",
                                  "2026-06", 5, 600000, 500, 500, 300000),
    "440303197006301234": Account("4403010067890126", "normal", "深圳市样本制造有限公司",
                                  add(LAST_CLOSED, -357), 358, 1500000, 1200, 1200, 36512000),
}
LOANS = {
    "440304198803121237": [Loan("GJJ2019SZ0088123", "中国建设银行深圳分行", 80000000, 310, 360,
                                "2019-08", index("2026-11") - index("2019-08") + 1)],
    "440306197902041230": [Loan("GJJ2014SZ0031877", "中国银行深圳分行", 45000000, 325, 240,
                                "2014-03", index("2026-09") - index("2014-03") + 1,
                                overdue_periods=2)],
    "440303197006301234": [Loan("GJJ2005SZ0007421", "中国工商银行深圳分行", 30000000, 405, 180,
                                "2005-09", 180)],
}
WITHDRAWALS = {
    "440304198803121237": [Withdrawal("TQ2019071500321", "purchase", 20000000, "2019-07-15",
                                      "paid", "2019-07-19")],
    "440303196208152340": [Withdrawal("TQ2012091100077", "retirement", 18452300, "2012-09-11",
                                      "paid", "2012-09-14")],
    "44030719850917234X": [Withdrawal("TQ2026111800512", "rent", 1500000, "2026-11-18",
                                      "review", "2026-11-19")],
    "440303197006301234": [
        Withdrawal("TQ2023030200288", "rent", 1800000, "2023-03-02", "rejected", "2023-03-06",
                   "租赁合同未备案，请补充材料后重新申请"),
        Withdrawal("TQ2005081000101", "purchase", 12000000, "2005-08-10", "paid", "2005-08-16"),
    ],
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS hf_accounts (
    id_number     TEXT PRIMARY KEY REFERENCES persons(id_number),
    account_no    TEXT NOT NULL,
    status        TEXT NOT NULL,
    unit          TEXT NOT NULL,
    opened        TEXT NOT NULL,           -- YYYY-MM
    base_fen      INTEGER NOT NULL,
    unit_bp       INTEGER NOT NULL,
    personal_bp   INTEGER NOT NULL,
    balance_fen   INTEGER NOT NULL,
    frozen_reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hf_contributions (
    id_number    TEXT NOT NULL REFERENCES hf_accounts(id_number),
    month        TEXT NOT NULL,
    unit_fen     INTEGER NOT NULL,
    personal_fen INTEGER NOT NULL,
    kind         TEXT NOT NULL,            -- "regular" | "back_pay" (补缴)
    PRIMARY KEY (id_number, month)
);
CREATE TABLE IF NOT EXISTS hf_loans (
    contract_no     TEXT PRIMARY KEY,
    id_number       TEXT NOT NULL REFERENCES persons(id_number),
    bank            TEXT NOT NULL,
    principal_fen   INTEGER NOT NULL,
    rate_bp         INTEGER NOT NULL,
    term_months     INTEGER NOT NULL,
    first_due       TEXT NOT NULL,
    paid_periods    INTEGER NOT NULL,
    overdue_periods INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS hf_withdrawals (
    ref        TEXT PRIMARY KEY,
    id_number  TEXT NOT NULL REFERENCES persons(id_number),
    type       TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    applied_on TEXT NOT NULL,
    stage      TEXT NOT NULL,
    updated_on TEXT NOT NULL,
    note       TEXT NOT NULL
);
"""


def contribution_rows(id_number: str, a: Account) -> list[tuple]:
    months = span(a.first_month, a.months)
    rows = []
    for m in months:
        years_back = (index(months[-1]) - index(m)) // 12
        base = max(100000, round(a.base_fen * 0.94**years_back))
        kind = "back_pay" if index(m) % 61 == 29 else "regular"
        rows.append((id_number, m, base * a.unit_bp // 10000, base * a.personal_bp // 10000, kind))
    return rows


def seed(conn: sqlite3.Connection) -> None:
    for id_number, a in ACCOUNTS.items():
        conn.execute(
            "INSERT OR IGNORE INTO hf_accounts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (id_number, a.account_no, a.status, a.unit, a.first_month, a.base_fen, a.unit_bp,
             a.personal_bp, a.balance_fen, a.frozen_reason),
        )
        conn.executemany("INSERT OR IGNORE INTO hf_contributions VALUES (?, ?, ?, ?, ?)",
                         contribution_rows(id_number, a))
    for id_number, loans in LOANS.items():
        conn.executemany(
            "INSERT OR IGNORE INTO hf_loans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(x.contract_no, id_number, x.bank, x.principal_fen, x.rate_bp, x.term_months,
              x.first_due, x.paid_periods, x.overdue_periods) for x in loans],
        )
    for id_number, items in WITHDRAWALS.items():
        conn.executemany(
            "INSERT OR IGNORE INTO hf_withdrawals VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(w.ref, id_number, w.type, w.amount_fen, w.applied_on, w.stage, w.updated_on,
              w.note) for w in items],
        )
