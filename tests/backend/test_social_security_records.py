"""社保 histories on the demo back end: contribution months and pension payments."""

from __future__ import annotations

import itertools

import pytest
from fastapi.testclient import TestClient

from backend.citizens import DEMO_CITIZENS

CONTRIBUTIONS = "/api/v1/social-security/contributions"
PENSIONS = "/api/v1/social-security/pension-payments"
EMPLOYEE = "440304198803121237"  # 张示例, 128 months
RETIREE = "440303196208152340"  # 李演示
LONG_CAREER = "440303197006301234"  # 孙样例, 401 months
NO_RECORDS = "440305200305211236"  # 王测试
FLEXIBLE = "44030719850917234X"  # 陈模拟
UNKNOWN = "110105200001010016"


def post(api: TestClient, path: str, id_number: str) -> dict:
    r = api.post(path, json={"id_number": id_number})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("citizen", DEMO_CITIZENS, ids=lambda c: c.situation[:20])
def test_history_agrees_with_the_insurance_status(api: TestClient, citizen) -> None:
    body = post(api, CONTRIBUTIONS, citizen.id_number)
    pension = next((i for i in citizen.insurances if i.type == "pension"), None)
    months = [m["month"] for m in body["months"]]
    assert len(months) == (pension.months if pension else 0)
    assert months == sorted(months, reverse=True) and len(set(months)) == len(months)
    assert body["total_personal_fen"] == sum(m["personal_fen"] for m in body["months"])
    if pension and pension.status == "paying":
        assert months[0] == "2026-10"  # the last closed month before the demo's November
    if pension and pension.status != "paying":
        assert months[-1] == pension.since


def test_a_long_career_has_hundreds_of_months(api: TestClient) -> None:
    body = post(api, CONTRIBUTIONS, LONG_CAREER)
    assert len(body["months"]) == 401
    latest = body["months"][0]
    assert latest == {"month": "2026-10", "unit": "深圳市样本制造有限公司", "base_fen": 1500000,
                      "unit_fen": 354000, "personal_fen": 154500, "kind": "regular"}
    assert body["months"][-1]["base_fen"] < latest["base_fen"]  # bases grew over the years
    assert {m["kind"] for m in body["months"]} == {"regular", "back_pay"}


def test_flexible_workers_pay_everything_themselves(api: TestClient) -> None:
    body = post(api, CONTRIBUTIONS, FLEXIBLE)
    assert {m["unit_fen"] for m in body["months"]} == {0}
    assert all(m["personal_fen"] > 0 for m in body["months"])


def test_a_retiree_s_history_names_the_former_employer(api: TestClient) -> None:
    body = post(api, CONTRIBUTIONS, RETIREE)
    assert {m["unit"] for m in body["months"]} == {"深圳市演示机械厂"}


def test_pension_payments_of_a_retiree(api: TestClient) -> None:
    body = post(api, PENSIONS, RETIREE)
    assert body["holder_name"] == "李演示"
    payments = body["payments"]
    assert payments[0] == {"month": "2026-11", "amount_fen": 385000, "paid_on": "2026-11-10",
                           "bank": "中国工商银行（尾号6621）",
                           "bank_en": "ICBC (account ending 6621)"}
    assert payments[-1]["month"] == "2012-09"  # the month after the last contribution
    assert len(payments) == 171
    assert all(a["amount_fen"] >= b["amount_fen"] for a, b in itertools.pairwise(payments))


@pytest.mark.parametrize("id_number", [EMPLOYEE, NO_RECORDS])
def test_no_pension_is_an_empty_list(api: TestClient, id_number: str) -> None:
    assert post(api, PENSIONS, id_number)["payments"] == []


@pytest.mark.parametrize("path", [CONTRIBUTIONS, PENSIONS])
def test_unknown_person_is_404_and_bad_ids_are_422(api: TestClient, path: str) -> None:
    r = api.post(path, json={"id_number": UNKNOWN})
    assert r.status_code == 404 and UNKNOWN not in r.text
    r = api.post(path, json={"id_number": "440304198803121238"})
    assert r.status_code == 422 and "44030419880312123" not in r.text


def test_histories_need_a_signature(api: TestClient) -> None:
    api.auth = None
    assert api.post(CONTRIBUTIONS, json={"id_number": EMPLOYEE}).status_code == 401
