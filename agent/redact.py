"""Masks what could identify a citizen in a log line before it leaves the terminal.

The kiosk never logs personal data on purpose; this is the second line of defence
for what a library or a traceback may print: ID numbers (18 characters), card and
phone numbers (any run of 6 or more digits), plates, e-mail addresses and the value
of any name/id/card/plate/phone field. Lines are capped in length and number.
"""

from __future__ import annotations

import re

MAX_LINE = 240
PATTERNS = (
    # a field that names a person or a document: keep the key, mask the value
    (re.compile(r"(?i)\b(name|姓名|id_?(?:no|number|card)?|card(?:_?no)?|plate|phone|mobile"
                r"|address)(\W{1,3})('[^']*'|\"[^\"]*\"|[^\s,;}]+)"), r"\1\2***"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "***@***"),
    (re.compile(r"\b\d{17}[\dXx]\b"), "***"),  # resident ID number
    (re.compile(r"[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}"), "***"),  # licence plate 粤B12345
    (re.compile(r"\d[\d -]{4,}\d"), "***"),  # card, phone, account numbers
)


def redact(line: str) -> str:
    for pattern, replacement in PATTERNS:
        line = pattern.sub(replacement, line)
    return line[:MAX_LINE]


def redact_lines(lines: list[str], limit: int) -> list[str]:
    return [redact(line) for line in lines[-limit:]]
