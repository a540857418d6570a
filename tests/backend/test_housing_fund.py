"""公积金 on the demo back end: accounts and their edge cases, lists, certificate, loans."""

from __future__ import annotations

import itertools
import re

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from backend.routers.housing_fund_loans import amortize

BASE = "/api/v1/housing-fund"
EMPLOYEE = "440304198803121237"  # 张示例: loan repaying, a paid withdrawal
RETIREE = "440303196208152340"  # 李演示: account closed at retirement
NO_ACCOUNT = "440305200305211236"  # 王测试
FROZEN = "440306197902041230"  # 赵样本: frozen, loan overdue
IN_PROGRESS = "44030719850917234X"  # 陈模拟: withdrawal under review
LONG = "440303197006301234"  # 孙样例: 358 months, settled loan, rejected withdrawal
UNKNOWN = "110105200001010016"


def post(api: TestClient, path: str, id_number: str, status: int = 200) -> dict:
    r = api.post(f"{BASE}/{path}", json={"id_number": id_number})
    assert r.status_code == status, r.text
    return r.json()


def test_account_of_an_employee(api: TestClient) -> None:
    acc = post(api, "account", EMPLOYEE)
    assert acc == {
        "holder_name": "张示例", "account_no_masked": "4403********5671", "status": "normal",
        "status_zh": "正常缴存", "status_en": "Contributing", "status_reason": "",
        "status_reason_en": "",
        "unit": "深圳市示例科技有限公司", "opened": "2016-03", "base_fen": 1200000,
        "unit_rate_bp": 1200, "personal_rate_bp": 1200, "monthly_fen": 288000,
        "balance_fen": 21856000, "paid_until": "2026-10",
    }


@pytest.mark.parametrize(("id_number", "state", "monthly"), [
    (FROZEN, "frozen", 0), (RETIREE, "closed", 0), (IN_PROGRESS, "normal", 50000)])
def test_account_states(api: TestClient, id_number: str, state: str, monthly: int) -> None:
    acc = post(api, "account", id_number)
    assert (acc["status"], acc["monthly_fen"]) == (state, monthly)
    assert bool(acc["status_reason"]) == (state == "frozen")


@pytest.mark.parametrize("id_number", [NO_ACCOUNT, UNKNOWN])
def test_no_account_is_404_everywhere_it_matters(api: TestClient, id_number: str) -> None:
    for path in ("account", "contributions", "certificates"):
        body = post(api, path, id_number, status=404)
        assert body["error"] == "not_found" and id_number not in str(body)


def test_contributions_newest_first_with_hundreds_of_months(api: TestClient) -> None:
    body = post(api, "contributions", LONG)
    months = [m["month"] for m in body["months"]]
    assert len(months) == 358 and months[0] == "2026-10"
    assert months == sorted(months, reverse=True)
    assert body["total_fen"] == sum(m["unit_fen"] + m["personal_fen"] for m in body["months"])
    assert {m["kind"] for m in body["months"]} == {"regular", "back_pay"}


def test_certificate_is_issued_and_verifiable(api: TestClient) -> None:
    r = api.post(f"{BASE}/certificates", json={"id_number": EMPLOYEE})
    assert r.status_code == 201, r.text
    cert = r.json()
    assert cert["title"] == "住房公积金缴存证明"
    assert cert["id_number_masked"] == "440304********1237"
    assert dict(cert["rows"])["账户余额"] == "218,560.00元"
    assert dict(cert["rows"])["缴存比例"] == "单位12% 个人12%"
    assert re.fullmatch(r"GJ20261122[A-Z2-7]{8}", cert["verification_code"])
    check = api.get(f"/api/v1/certificates/{cert['verification_code']}").json()
    assert check["kind"] == "housing_fund.contribution" and check["holder_name_masked"] == "张*例"


def test_a_frozen_account_gets_no_certificate(api: TestClient) -> None:
    assert post(api, "certificates", FROZEN, status=409)["error"] == "account_frozen"


def test_loan_schedule_of_a_repaying_loan(api: TestClient) -> None:
    loans = post(api, "loans", EMPLOYEE)["loans"]
    assert len(loans) == 1
    loan = loans[0]
    assert (loan["status"], loan["paid_periods"], loan["term_months"]) == ("repaying", 88, 360)
    schedule = loan["schedule"]
    assert [i["status"] for i in schedule[87:90]] == ["paid", "due", "upcoming"]
    assert schedule[88]["due_on"] == "2026-12-20"
    assert loan["remaining_fen"] == schedule[87]["remaining_fen"]
    assert sum(i["principal_fen"] for i in schedule) == loan["principal_fen"]
    assert schedule[-1]["remaining_fen"] == 0


def test_an_overdue_loan_and_a_settled_one(api: TestClient) -> None:
    loan = post(api, "loans", FROZEN)["loans"][0]
    assert loan["status"] == "overdue" and loan["overdue_periods"] == 2
    assert [i["due_on"] for i in loan["schedule"] if i["status"] == "overdue"] == [
        "2026-10-20", "2026-11-20"]
    settled = post(api, "loans", LONG)["loans"][0]
    assert settled["status"] == "settled" and settled["remaining_fen"] == 0
    assert {i["status"] for i in settled["schedule"]} == {"paid"}
    assert post(api, "loans", NO_ACCOUNT)["loans"] == []


def test_withdrawals(api: TestClient) -> None:
    review = post(api, "withdrawals", IN_PROGRESS)["withdrawals"]
    assert [(w["type_zh"], w["stage"], w["stage_zh"]) for w in review] == [
        ("租房提取", "review", "审核中")]
    long = post(api, "withdrawals", LONG)["withdrawals"]
    assert [w["stage"] for w in long] == ["rejected", "paid"]  # newest first
    assert "补充材料" in long[0]["note"]
    assert post(api, "withdrawals", NO_ACCOUNT)["withdrawals"] == []
    assert api.post(f"{BASE}/withdrawals", json={"id_number": UNKNOWN}).status_code == 404


@given(principal=st.integers(1_000_00, 2_000_000_00), rate=st.integers(100, 800),
       term=st.integers(12, 360))
def test_equal_instalments_repay_the_principal_exactly(principal: int, rate: int,
                                                       term: int) -> None:
    plan = amortize(principal, rate, term)
    assert len(plan) == term and plan[-1][2] == 0
    assert sum(part for part, _i, _left in plan) == principal
    totals = [part + interest for part, interest, _left in plan]
    assert max(totals[:-1]) - min(totals[:-1]) <= 1  # equal, to the fen
    assert all(a[2] > b[2] for a, b in itertools.pairwise(plan))
