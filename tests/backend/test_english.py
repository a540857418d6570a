"""Back-end text a citizen reads comes in English too: every ``*_en`` field of every
answer, for every demo citizen, has English in it and no Chinese left."""

from __future__ import annotations

import re

import pytest

from backend.citizens import DEMO_CITIZENS
from backend.english import english

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
PERSONAL = ["social-security/insurance", "social-security/pension-payments",
            "social-security/card/status", "housing-fund/account", "housing-fund/loans",
            "traffic/violations/by-licence", "housing-fund/withdrawals",
            "medical-insurance/status", "medical-insurance/account"]


def english_fields(value, path=""):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key.endswith("_en") and isinstance(inner, str):
                yield f"{path}.{key}", inner
            yield from english_fields(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from english_fields(inner, f"{path}[{i}]")


def test_the_table_turns_banks_with_an_account_tail_and_fees():
    assert english("中国建设银行（尾号0358）") == "China Construction Bank (account ending 0358)"
    assert english("80元") == "¥80" and english("免费") == "free"


@pytest.mark.parametrize("citizen", DEMO_CITIZENS, ids=lambda c: c.demo_tag)
def test_every_english_field_is_english(api, citizen):
    answers = []
    for path in PERSONAL:
        r = api.post(f"/api/v1/{path}", json={"id_number": citizen.id_number})
        if r.status_code == 200:
            answers.append(r.json())
    answers.append(api.get("/api/v1/guides/catalog").json())
    answers.append(api.get("/api/v1/queue/business-types").json())
    fields = [f for a in answers for f in english_fields(a)]
    assert fields
    chinese = [(path, text) for path, text in fields if CJK.search(text)]
    assert chinese == []


def test_cases_and_bundles_name_their_departments_in_english(api):
    case = api.post("/api/v1/cases/progress", json={"case_number": "202611100003"}).json()
    assert case["department_en"] == "Planning and Natural Resources Bureau"
    catalog = api.get("/api/v1/guides/catalog").json()
    for b in catalog["bundles"]:
        r = api.post("/api/v1/guides/bundle",
                     json={"id_number": DEMO_CITIZENS[0].id_number, "bundle_id": b["id"]})
        assert r.status_code == 200, r.text
        steps = r.json()["steps"]
        assert steps and all(s["department_en"] and not CJK.search(s["department_en"])
                             for s in steps)
