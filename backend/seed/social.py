"""社保 histories: one row per contribution month, one per pension payment.

Generated from each demo citizen's insurances, so the totals agree with the status:
a paying person's ``months`` end with the last closed month (``LAST_CLOSED``), a
suspended or retired person's run from ``since``. Amounts are in fen.
"""

from __future__ import annotations

import sqlite3

from backend.citizens import DEMO_CITIZENS, DemoCitizen
from backend.seed.months import add, index, span

LAST_CLOSED = "2026-10"  # the demo's present is November 2026
PENSION_PAID_UNTIL = "2026-11"
# (employer, person) shares of the contribution base, per insurance.
RATES = {
    "pension": (0.16, 0.08),
    "medical": (0.06, 0.02),
    "unemployment": (0.007, 0.003),
    "injury": (0.004, 0.0),
    "maternity": (0.005, 0.0),
}
FLEXIBLE_RATES = {"pension": 0.20, "medical": 0.06}  # all paid by the person
RETIREE_LAST_BASE = 3000  # yuan: retirees' records carry no current base
FORMER_UNITS = {  # retirees: where they worked while they paid
    "440303196208152340": "深圳市演示机械厂",
    "440304193801061231": "深圳市虚构纺织厂",
}
PENSIONS = {  # retiree → (monthly pension in 2026 in fen, bank account as shown)
    "440303196208152340": (385000, "中国工商银行（尾号6621）"),
    "440304193801061231": (296000, "中国建设银行（尾号0358）"),
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS ss_contributions (
    id_number    TEXT NOT NULL REFERENCES persons(id_number),
    month        TEXT NOT NULL,            -- YYYY-MM
    unit         TEXT NOT NULL,
    base_fen     INTEGER NOT NULL,
    unit_fen     INTEGER NOT NULL,         -- the employer's share, all insurances
    personal_fen INTEGER NOT NULL,
    kind         TEXT NOT NULL,            -- "regular" | "back_pay" (补缴)
    PRIMARY KEY (id_number, month)
);
CREATE TABLE IF NOT EXISTS pension_payments (
    id_number  TEXT NOT NULL REFERENCES persons(id_number),
    month      TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    paid_on    TEXT NOT NULL,              -- YYYY-MM-DD
    bank       TEXT NOT NULL,              -- bank and the account's last digits only
    PRIMARY KEY (id_number, month)
);
"""


def contribution_rows(c: DemoCitizen) -> list[tuple]:
    pension = next((i for i in c.insurances if i.type == "pension"), None)
    if pension is None or pension.months == 0:
        return []
    if pension.status == "paying":
        months = span(add(LAST_CLOSED, 1 - pension.months), pension.months)
    else:
        months = span(pension.since, pension.months)
    types = [i.type for i in c.insurances]
    flexible = "灵活就业" in pension.unit
    last_base = pension.monthly_base or RETIREE_LAST_BASE
    rows = []
    for m in months:
        years_back = (index(months[-1]) - index(m)) // 12
        base = max(1000, round(last_base * 0.94**years_back))
        if flexible:
            unit_fen, personal_fen = 0, sum(round(base * 100 * FLEXIBLE_RATES[t]) for t in types)
        else:
            unit_fen = sum(round(base * 100 * RATES[t][0]) for t in types)
            personal_fen = sum(round(base * 100 * RATES[t][1]) for t in types)
        kind = "back_pay" if index(m) % 53 == 17 else "regular"  # a few late payments
        unit = FORMER_UNITS.get(c.id_number, pension.unit)
        rows.append((c.id_number, m, unit, base * 100, unit_fen, personal_fen, kind))
    return rows


def pension_rows(c: DemoCitizen) -> list[tuple]:
    if c.id_number not in PENSIONS:
        return []
    monthly_now, bank = PENSIONS[c.id_number]
    pension = next(i for i in c.insurances if i.type == "pension")
    first = add(pension.since, pension.months)  # the month after the last contribution
    months = span(first, index(PENSION_PAID_UNTIL) - index(first) + 1)
    rows = []
    for m in months:
        years_back = int(PENSION_PAID_UNTIL[:4]) - int(m[:4])  # raised every January
        amount = round(monthly_now * 0.95**years_back)
        rows.append((c.id_number, m, amount, f"{m}-10", bank))
    return rows


def seed(conn: sqlite3.Connection) -> None:
    for c in DEMO_CITIZENS:
        conn.executemany(
            "INSERT OR IGNORE INTO ss_contributions VALUES (?, ?, ?, ?, ?, ?, ?)",
            contribution_rows(c),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO pension_payments VALUES (?, ?, ?, ?, ?)", pension_rows(c)
        )
