"""交管 seed: vehicles, driving licences and violations of the demo citizens.

张示例 drives a new-energy car (8-character plate) with two unpaid fines and one
paid; 赵样本 has four unpaid fines and one violation still to be processed at a
counter; 陈模拟's car has no violations; 孙样例's licence has expired and his truck
has a large new-energy plate; 黄例子 is a new driver (实习期) without a car;
王测试, 李演示 and 刘虚构 have no licence. Amounts in fen.
"""

from __future__ import annotations

import sqlite3

ZHANG, ZHAO, CHEN, HUANG, SUN = (
    "440304198803121237", "440306197902041230", "44030719850917234X",
    "440305199607282341", "440303197006301234",
)

VEHICLES = [  # plate (no separator), VIN, owner, brand
    ("粤BD12345", "LGXCE4CB5N0312846", ZHANG, "比亚迪 秦PLUS"),
    ("粤B5K2M8", "LSVAM4187C2207731", ZHAO, "大众 朗逸"),
    ("粤A8X9Y7", "LFV3A23C8K3098815", CHEN, "丰田 卡罗拉"),
    ("粤B12345D", "LZZ1BLSF5N1044720", SUN, "重汽 豪沃（纯电动）"),
]
LICENCES = [  # id_number, class, first issued, valid from, valid to, points deducted
    (ZHANG, "C1", "2008-05-10", "2014-05-10", "2032-05-10", 3),
    (ZHAO, "B2", "2001-09-03", "2019-09-03", "2029-09-03", 9),
    (CHEN, "C1", "2012-11-20", "2018-11-20", "2028-11-20", 0),
    (HUANG, "C2", "2026-03-15", "2026-03-15", "2032-03-15", 0),
    (SUN, "A2", "1994-06-30", "2014-06-30", "2024-06-30", 0),
]
# ref (决定书编号), plate, driver, when, where, act zh, act en, points, fine, status
VIOLATIONS = [
    ("4403052026000118", "粤BD12345", ZHANG, "2026-10-08 08:42", "深圳市福田区深南大道彩田路口",
     "机动车违反禁止标线指示", "Ignoring a prohibition road marking", 3, 20000, "unpaid"),
    ("4403052026000342", "粤BD12345", ZHANG, "2026-11-02 19:15", "深圳市南山区科技园南区示例路",
     "机动车违反规定停放", "Illegal parking", 0, 20000, "unpaid"),
    ("4403052025004417", "粤BD12345", ZHANG, "2025-06-21 14:03", "深圳市宝安区宝安大道",
     "驾驶中型以下载客汽车超过规定时速未达20%", "Speeding (under 20 %)", 1, 20000, "paid"),
    ("4403062026001201", "粤B5K2M8", ZHAO, "2026-09-11 07:58", "深圳市龙华区梅龙大道",
     "驾驶机动车违反道路交通信号灯通行", "Running a red light", 6, 20000, "unpaid"),
    ("4403062026001388", "粤B5K2M8", ZHAO, "2026-09-30 22:41", "深圳市宝安区机场路",
     "驾驶机动车超过规定时速20%以上未达50%", "Speeding (20 % to 50 %)", 3, 100000, "unpaid"),
    ("4403062026001502", "粤B5K2M8", ZHAO, "2026-10-17 12:20", "深圳市罗湖区东门中路",
     "机动车违反规定停放", "Illegal parking", 0, 20000, "unpaid"),
    ("4403062026001650", "粤B5K2M8", ZHAO, "2026-11-05 17:36", "深圳市罗湖区人民南路",
     "不按规定使用安全带", "Not wearing a seat belt", 0, 5000, "unpaid"),
    ("4403062026001777", "粤B5K2M8", None, "2026-11-19 09:12", "深圳市福田区滨河大道",
     "机动车违反禁令标志指示", "Ignoring a prohibition sign", 3, 20000, "unprocessed"),
    ("4403032024002290", "粤B12345D", SUN, "2024-03-14 10:05", "深圳市盐田区沙头角海景路",
     "机动车违反规定停放", "Illegal parking", 0, 20000, "paid"),
]

SCHEMA = """
CREATE TABLE IF NOT EXISTS vehicles (
    plate     TEXT PRIMARY KEY,            -- without separator: 粤BD12345
    vin       TEXT NOT NULL,
    owner     TEXT NOT NULL REFERENCES persons(id_number),
    brand     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS licences (
    id_number        TEXT PRIMARY KEY REFERENCES persons(id_number),
    licence_class    TEXT NOT NULL,
    first_issued     TEXT NOT NULL,
    valid_from       TEXT NOT NULL,
    valid_to         TEXT NOT NULL,
    points_deducted  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS violations (
    ref         TEXT PRIMARY KEY,          -- 处罚决定书编号
    plate       TEXT NOT NULL REFERENCES vehicles(plate),
    driver      TEXT,                      -- the licence it was decided on; NULL: not yet
    occurred_at TEXT NOT NULL,
    place       TEXT NOT NULL,
    act_zh      TEXT NOT NULL,
    act_en      TEXT NOT NULL,
    points      INTEGER NOT NULL,
    fine_fen    INTEGER NOT NULL,
    status      TEXT NOT NULL,             -- "unpaid" | "paid" | "unprocessed"
    paid_order  TEXT                       -- the payment order that paid it, if any
);
CREATE TABLE IF NOT EXISTS fine_orders (
    order_id        TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    violation_ref   TEXT NOT NULL REFERENCES violations(ref),
    amount_fen      INTEGER NOT NULL,
    status          TEXT NOT NULL,         -- "pending" | "paid" | "cancelled" | "expired"
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    paid_at         TEXT,
    receipt         TEXT                   -- the receipt issued, JSON; issued once
);
"""


def seed(conn: sqlite3.Connection) -> None:
    conn.executemany("INSERT OR IGNORE INTO vehicles VALUES (?, ?, ?, ?)", VEHICLES)
    conn.executemany("INSERT OR IGNORE INTO licences VALUES (?, ?, ?, ?, ?, ?)", LICENCES)
    conn.executemany(
        "INSERT OR IGNORE INTO violations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        VIOLATIONS,
    )
