"""办事进度 seed: a case in each supervision stage, each with its traffic light.

Stage times are stored in hours relative to the moment of the query, not as dates:
the demo store lives for months, and its lights must stay as designed (a green
case must not turn red because the demo was started again next week).
"""

from __future__ import annotations

import sqlite3

STAGES = ("acceptance", "review", "issuance")
# case number, matter (zh, en), department, applicant, then per stage
# (started, finished, time limit) in hours relative to now; None: not reached / not done.
CASES = [
    ("202611220001", "个体工商户设立登记", "Registering a sole proprietorship", "市场监督管理局",
     "440304198803121237", [(-2, None, 24), None, None]),
    ("202611180002", "食品经营许可证核发", "Food business licence", "市场监督管理局",
     "440304198803121237", [(-110, -100, 24), (-100, None, 120), None]),
    ("202611100003", "建设工程规划许可", "Construction planning permit", "规划和自然资源局",
     "440303197006301234", [(-300, -290, 24), (-290, None, 240), None]),
    ("202611050004", "不动产转移登记", "Transfer of real-estate title", "不动产登记中心",
     "44030719850917234X", [(-420, -400, 24), (-400, -180, 240), (-180, None, 240)]),
    ("202610200005", "社会保险关系转移", "Transfer of social insurance", "社会保险基金管理局",
     "440306197902041230", [(-800, -790, 24), (-790, -600, 240), (-600, -560, 120)]),
    ("202610250006", "住房公积金提取", "Housing fund withdrawal", "住房公积金管理中心",
     "44030719850917234X", [(-330, -320, 24), (-320, -100, 240), (-100, None, 120)]),
]

SCHEMA = """
CREATE TABLE IF NOT EXISTS demo_cases (
    case_number TEXT PRIMARY KEY,
    matter_zh   TEXT NOT NULL,
    matter_en   TEXT NOT NULL,
    department  TEXT NOT NULL,
    applicant   TEXT NOT NULL REFERENCES persons(id_number)
);
CREATE TABLE IF NOT EXISTS demo_case_stages (
    case_number TEXT NOT NULL REFERENCES demo_cases(case_number),
    stage       TEXT NOT NULL,              -- "acceptance" | "review" | "issuance"
    started_h   REAL NOT NULL,              -- hours relative to the query
    finished_h  REAL,                       -- NULL: still in this stage
    limit_h     REAL NOT NULL,              -- the time limit (时限) of the stage
    PRIMARY KEY (case_number, stage)
);
"""


def seed(conn: sqlite3.Connection) -> None:
    for number, zh, en, department, applicant, stages in CASES:
        conn.execute("INSERT OR IGNORE INTO demo_cases VALUES (?, ?, ?, ?, ?)",
                     (number, zh, en, department, applicant))
        conn.executemany(
            "INSERT OR IGNORE INTO demo_case_stages VALUES (?, ?, ?, ?, ?)",
            [(number, stage, *times) for stage, times in zip(STAGES, stages, strict=True)
             if times is not None],
        )
