"""社保卡 on the demo back end: the card's status and a temporary loss report that is
never made twice."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

STATUS = "/api/v1/social-security/card/status"
REPORT = "/api/v1/social-security/card/loss-report"
NORMAL = "440305198301191231"  # 吴常规
TEMP_LOST = "440304199104051238"  # 周示范
FORMAL_LOST = "440306197902041230"  # 赵样本
MAKING = "440305199607282341"  # 黄例子
NO_CARD = "440305200305211236"  # 王测试
UNKNOWN = "110105200001010016"
KEY = "k" * 32


def status(api: TestClient, id_number: str) -> dict:
    r = api.post(STATUS, json={"id_number": id_number})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize(("id_number", "state", "zh", "reportable"), [
    (NORMAL, "normal", "正常使用", True),
    (TEMP_LOST, "temp_loss", "临时挂失", False),
    (FORMAL_LOST, "formal_loss", "正式挂失", False),
    (MAKING, "making", "制卡中", False),
])
def test_every_card_state_comes_in_both_languages(api, id_number, state, zh, reportable):
    card = status(api, id_number)
    assert (card["status"], card["status_zh"], card["can_report_loss"]) == (state, zh, reportable)
    assert card["status_en"] and card["note_zh"] and card["note_en"]
    assert card["bank_zh"].startswith("中国") and "Bank" in card["bank_en"]
    assert "*" in card["card_no_masked"] and len(card["card_no_masked"]) == 9


def test_no_card_and_unknown_person_are_404(api):
    assert api.post(STATUS, json={"id_number": NO_CARD}).status_code == 404
    assert api.post(STATUS, json={"id_number": UNKNOWN}).status_code == 404
    assert api.post(REPORT, json={"id_number": NO_CARD, "idempotency_key": KEY}).status_code == 404


def test_a_loss_report_is_made_once_whatever_is_resent(api):
    first = api.post(REPORT, json={"id_number": NORMAL, "idempotency_key": KEY})
    assert first.status_code == 200, first.text
    report = first.json()
    assert report["card"]["status"] == "temp_loss" and report["report_ref"].startswith("GS2026")
    assert report["reported_at"] == "2026-11-22 20:15"
    again = api.post(REPORT, json={"id_number": NORMAL, "idempotency_key": KEY})
    assert again.json() == report  # a resend after a lost answer: the same report
    other_key = api.post(REPORT, json={"id_number": NORMAL, "idempotency_key": "z" * 32})
    assert other_key.status_code == 409 and other_key.json()["error"] == "not_reportable"
    assert status(api, NORMAL)["status"] == "temp_loss"


def test_a_key_belongs_to_one_card(api):
    assert api.post(REPORT, json={"id_number": NORMAL, "idempotency_key": KEY}).status_code == 200
    r = api.post(REPORT, json={"id_number": "440304198803121237", "idempotency_key": KEY})
    assert r.status_code == 409 and r.json()["error"] == "key_reused"
    assert status(api, "440304198803121237")["status"] == "normal"


@pytest.mark.parametrize("body", [
    {"id_number": NORMAL},
    {"id_number": NORMAL, "idempotency_key": "short"},
    {"id_number": NORMAL, "idempotency_key": KEY, "name": "吴常规"},
])
def test_a_malformed_report_is_refused_and_changes_nothing(api, body):
    r = api.post(REPORT, json=body)
    assert r.status_code == 422 and "吴常规" not in r.text and NORMAL not in r.text
    assert status(api, NORMAL)["status"] == "normal"


def test_queue_business_types_carry_both_languages(api):
    r = api.get("/api/v1/queue/business-types")
    assert r.status_code == 200, r.text
    types = r.json()["business_types"]
    assert [t["code"] for t in types] == [1, 2, 3, 4]
    assert all(t["department_zh"] and t["department_en"] and t["name_en"] for t in types)
    assert types[2]["waiting"] == 11
