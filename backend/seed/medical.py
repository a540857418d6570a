"""医保 seed: each demo citizen's medical insurance, personal account and its spending.

Consistent with ``backend/citizens.py``: whoever holds a "medical" insurance there is in
职工医保 (employee scheme) with the same status and first month; 王测试, who has no
social-security records, was in 居民医保 (resident scheme) as a student until 2025 and
is not insured this year. Edge cases: 李演示 filed a 异地就医备案 (to 长沙) last year;
赵样本's insurance is suspended and his account frozen; 陈模拟's balance is zero;
黄例子 has spent nothing yet; 孙样例 has over four hundred spending rows. Amounts in fen.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

LAST_DAY = date(2026, 11, 21)  # the demo's present is 2026-11-22: spending up to yesterday


@dataclass(frozen=True)
class Member:
    scheme: str  # "employee" (职工医保) | "resident" (居民医保)
    category: str  # "working" | "retired" | "flexible" | "student"
    state: str  # "insured" | "suspended" | "lapsed"
    since: str  # YYYY-MM: first month in this scheme
    account_state: str  # "normal" | "frozen" | "none" (居民医保 has no personal account)
    balance_fen: int
    spending_rows: int
    last_spent: date = LAST_DAY


MEMBERS: dict[str, Member] = {
    "440304198803121237": Member("employee", "working", "insured", "2015-03", "normal",
                                 328640, 64),
    "440303196208152340": Member("employee", "retired", "insured", "1998-01", "normal",
                                 1562035, 236),
    "440305200305211236": Member("resident", "student", "lapsed", "2021-09", "none", 0, 0),
    "440306197902041230": Member("employee", "working", "suspended", "2008-06", "frozen",
                                 120450, 38, date(2026, 5, 28)),
    "44030719850917234X": Member("employee", "flexible", "insured", "2019-01", "normal", 0, 27),
    "440304193801061231": Member("employee", "retired", "insured", "1998-01", "normal",
                                 2310077, 180),
    "440305199607282341": Member("employee", "working", "insured", "2026-06", "normal",
                                 41280, 0),
    "440303197006301234": Member("employee", "working", "insured", "1992-07", "normal",
                                 874512, 436),
    "440304199104051238": Member("employee", "working", "insured", "2014-07", "normal",
                                 215033, 52),
    "440305198301191231": Member("employee", "working", "insured", "2006-02", "normal",
                                 467890, 71),
}

# (idempotency key, id_number, ref, city code, reason, start, end, filed_at): filed before.
FILINGS = [
    ("seed-filing-0000000001", "440303196208152340", "BA20250301000017", "430100",
     "long_term_residence", "2025-03-01", "", "2025-02-26 10:12"),
]

PHARMACIES = ["深圳市示例大药房（福田店）", "深圳市演示医药连锁（罗湖店）",
              "深圳市样本药店（南山店）", "深圳市测试大药房（宝安店）"]
CLINICS = ["深圳市示例人民医院", "深圳市演示中医院", "福田区示例社区健康服务中心",
           "南山区测试社区健康服务中心", "深圳市样本妇幼保健院"]
HOSPITALS = ["深圳市示例人民医院", "深圳市演示中医院"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS mi_members (
    id_number     TEXT PRIMARY KEY REFERENCES persons(id_number),
    scheme        TEXT NOT NULL,           -- employee | resident
    category      TEXT NOT NULL,           -- working | retired | flexible | student
    state         TEXT NOT NULL,           -- insured | suspended | lapsed
    since         TEXT NOT NULL,           -- YYYY-MM
    account_state TEXT NOT NULL,           -- normal | frozen | none
    balance_fen   INTEGER NOT NULL CHECK (balance_fen >= 0)
);
CREATE TABLE IF NOT EXISTS mi_spending (
    id_number   TEXT NOT NULL REFERENCES persons(id_number),
    seq         INTEGER NOT NULL,          -- newest is 1
    spent_at    TEXT NOT NULL,             -- YYYY-MM-DD HH:MM
    kind        TEXT NOT NULL,             -- pharmacy | outpatient | inpatient
    place       TEXT NOT NULL,
    total_fen   INTEGER NOT NULL,
    fund_fen    INTEGER NOT NULL,          -- paid by the pooled fund (统筹基金)
    account_fen INTEGER NOT NULL,          -- paid from the personal account
    PRIMARY KEY (id_number, seq)
);
CREATE TABLE IF NOT EXISTS mi_filings (
    filing_ref      TEXT PRIMARY KEY,      -- 备案编号
    idempotency_key TEXT NOT NULL UNIQUE,  -- the kiosk's, stored before it asked
    id_number       TEXT NOT NULL REFERENCES persons(id_number),
    city_code       TEXT NOT NULL,
    reason          TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    end_date        TEXT NOT NULL,         -- "" for long-term filings
    filed_at        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mi_vouchers (
    token      TEXT PRIMARY KEY,           -- what the e-voucher QR code carries
    id_number  TEXT NOT NULL REFERENCES persons(id_number),
    expires_at TEXT NOT NULL,              -- ISO, China time
    claimed_at TEXT
);
"""


def spending_rows(id_number: str, member: Member) -> list[tuple]:
    """Deterministic (seeded by the ID number), newest first, a few days apart."""
    rng = random.Random(id_number)
    rows, day = [], member.last_spent
    for seq in range(1, member.spending_rows + 1):
        roll = rng.random()
        if roll < 0.03:
            kind, place = "inpatient", rng.choice(HOSPITALS)
            total = rng.randint(500000, 3000000)
            fund, account = round(total * 0.85), 0  # the rest is paid in cash
        elif roll < 0.38:
            kind, place = "outpatient", rng.choice(CLINICS)
            total = rng.randint(5000, 60000)
            fund = round(total * 0.6)
            account = round((total - fund) * 0.7)
        else:
            kind, place = "pharmacy", rng.choice(PHARMACIES)
            total = rng.randint(1500, 30000)
            fund, account = 0, total
        at = f"{day.isoformat()} {rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}"
        rows.append((id_number, seq, at, kind, place, total, fund, account))
        day -= timedelta(days=rng.randint(2, 12))
    return rows


def seed(conn: sqlite3.Connection) -> None:
    for id_number, m in MEMBERS.items():
        conn.execute("INSERT OR IGNORE INTO mi_members VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (id_number, m.scheme, m.category, m.state, m.since, m.account_state,
                      m.balance_fen))
        conn.executemany("INSERT OR IGNORE INTO mi_spending VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         spending_rows(id_number, m))
    for key, id_number, ref, city, reason, start, end, filed_at in FILINGS:
        conn.execute("INSERT OR IGNORE INTO mi_filings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (ref, key, id_number, city, reason, start, end, filed_at))
