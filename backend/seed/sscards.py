"""社保卡 seed: one card per insured demo citizen, in every state the kiosk must show.

张示例, 李演示, 陈模拟, 刘虚构, 孙样例 and 吴常规 hold cards in normal use (吴常规's is
the one a demo reports lost); 周示范's card was temporarily reported lost (临时挂失)
two days before the demo's present; 赵样本's was formally reported lost (正式挂失) and a
new one is not made yet; 黄例子's first card is being made (制卡中); 王测试 has none.
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS ss_cards (
    id_number    TEXT PRIMARY KEY REFERENCES persons(id_number),
    card_no      TEXT NOT NULL,            -- the card's own number (卡号), not the ID number
    status       TEXT NOT NULL,            -- see backend/routers/social_security_card.py
    bank         TEXT NOT NULL,            -- the bank whose account the card carries
    issued_on    TEXT NOT NULL,            -- YYYY-MM-DD
    status_since TEXT NOT NULL             -- YYYY-MM-DD HH:MM
);
CREATE TABLE IF NOT EXISTS ss_card_loss_reports (
    idempotency_key TEXT PRIMARY KEY,      -- the kiosk's, stored before it asked
    id_number       TEXT NOT NULL REFERENCES persons(id_number),
    report_ref      TEXT NOT NULL UNIQUE,  -- 挂失受理编号
    reported_at     TEXT NOT NULL
);
"""

# id_number: (card_no, status, bank code, issued_on, status_since)
CARDS = {
    "440304198803121237": ("D44030412", "normal", "ccb", "2015-04-02", "2015-04-02 10:00"),
    "440303196208152340": ("D44030329", "normal", "icbc", "2012-09-18", "2012-09-18 10:00"),
    "440306197902041230": ("D44030636", "formal_loss", "boc", "2008-08-11", "2026-10-29 15:12"),
    "44030719850917234X": ("D44030744", "normal", "abc", "2019-03-05", "2019-03-05 10:00"),
    "440304193801061231": ("D44030451", "normal", "ccb", "2006-05-22", "2006-05-22 10:00"),
    "440305199607282341": ("D44030568", "making", "icbc", "2026-07-01", "2026-07-01 09:30"),
    "440303197006301234": ("D44030375", "normal", "boc", "2001-01-15", "2001-01-15 10:00"),
    "440304199104051238": ("D44030482", "temp_loss", "ccb", "2014-09-09", "2026-11-20 21:07"),
    "440305198301191231": ("D44030599", "normal", "abc", "2006-04-17", "2006-04-17 10:00"),
}


def seed(conn: sqlite3.Connection) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO ss_cards VALUES (?, ?, ?, ?, ?, ?)",
        [(id_number, *card) for id_number, card in CARDS.items()],
    )
