"""排队取号 seed: the hall's business types, each with its department and the people
waiting now. ``code`` is the business number the queue device knows (its ticket letter
comes from the device: 1 → A, 2 → B ...)."""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS queue_business (
    code          INTEGER PRIMARY KEY,     -- the queue device's business number
    department_zh TEXT NOT NULL,
    department_en TEXT NOT NULL,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    windows       TEXT NOT NULL,           -- the counters that serve it, e.g. "1-3"
    waiting       INTEGER NOT NULL CHECK (waiting >= 0)
);
"""

BUSINESS = [
    (1, "社会保险", "Social security", "参保登记、社保卡补换", "Insurance registration, card "
     "replacement", "1-3", 6),
    (2, "住房公积金", "Housing fund", "公积金提取与贷款", "Withdrawals and loans", "4-5", 3),
    (3, "公安交警", "Traffic police", "驾驶证业务、违法处理", "Driving licences, violations",
     "6-8", 11),
    (4, "综合受理", "General counter", "企业开办等“一件事”", "Bundles such as opening a business",
     "9", 0),
]


def seed(conn: sqlite3.Connection) -> None:
    conn.executemany("INSERT OR IGNORE INTO queue_business VALUES (?, ?, ?, ?, ?, ?, ?)",
                     BUSINESS)
