"""医保 on the demo back end: status, account and spending, the e-voucher, 异地就医备案
(never filed twice) and the 参保凭证 certificate."""

from __future__ import annotations

import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.citizens import DEMO_CITIZENS
from backend.seed.medical import MEMBERS
from backend.settings import DEMO_APP_KEYS
from kiosk.services.signing import SigningAuth
from tests.backend.conftest import DEMO_NOW

BASE = "/api/v1/medical-insurance"
EMPLOYEE = "440304198803121237"  # 张示例
RETIREE = "440303196208152340"  # 李演示: filed to 长沙 in 2025
NOT_INSURED = "440305200305211236"  # 王测试: 居民医保 lapsed
FROZEN = "440306197902041230"  # 赵样本: suspended, account frozen
ZERO = "44030719850917234X"  # 陈模拟: balance zero
NOTHING_SPENT = "440305199607282341"  # 黄例子
LONG = "440303197006301234"  # 孙样例: hundreds of rows
NORMAL = "440305198301191231"  # 吴常规: the one who files in a demo
UNKNOWN = "110105200001010016"
KEY = "k" * 32


def post(api: TestClient, path: str, body: dict, status: int = 200) -> dict:
    r = api.post(f"{BASE}/{path}", json=body)
    assert r.status_code == status, r.text
    return r.json()


def form(id_number: str = NORMAL, key: str = KEY, **change) -> dict:
    return {"id_number": id_number, "idempotency_key": key, "city_code": "440100",
            "reason": "referral", "start_date": "2026-11-25", **change}


def filings(db_path: Path, id_number: str) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT COUNT(*) FROM mi_filings WHERE id_number = ?",
                            (id_number,)).fetchone()[0]


@pytest.fixture
def db_path(api: TestClient) -> Path:
    return api.app.state.settings.db_path


# -- seed consistency -----------------------------------------------------------------------

def test_every_citizen_has_a_record_that_agrees_with_social_security() -> None:
    assert set(MEMBERS) == {c.id_number for c in DEMO_CITIZENS}
    for c in DEMO_CITIZENS:
        member = MEMBERS[c.id_number]
        medical = next((i for i in c.insurances if i.type == "medical"), None)
        if medical is None:  # no social-security medical insurance: the resident scheme
            assert (member.scheme, member.account_state) == ("resident", "none")
            continue
        assert member.scheme == "employee" and member.since == medical.since
        assert member.state == {"paying": "insured", "retired": "insured",
                                "suspended": "suspended"}[medical.status]
        assert (member.category == "retired") == (medical.status == "retired")
        assert (member.category == "flexible") == ("灵活就业" in medical.unit)


# -- status ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("id_number", "insured", "scheme", "category", "state_zh"), [
    (EMPLOYEE, True, "employee", "working", "正常参保"),
    (RETIREE, True, "employee", "retired", "正常参保"),
    (ZERO, True, "employee", "flexible", "正常参保"),
    (FROZEN, False, "employee", "working", "暂停参保"),
    (NOT_INSURED, False, "resident", "student", "本年度未参保"),
])
def test_status_names_scheme_category_and_state_in_both_languages(
        api, id_number, insured, scheme, category, state_zh):
    s = post(api, "status", {"id_number": id_number})
    assert (s["insured"], s["scheme"], s["category"], s["state_zh"]) == (
        insured, scheme, category, state_zh)
    assert s["scheme_zh"].endswith("医疗保险") and s["scheme_en"].endswith("medical insurance")
    assert s["category_en"] and s["note_zh"] and s["note_en"] and s["place_zh"] == "深圳市"
    assert s["has_account"] == (scheme == "employee")


def test_a_filing_in_force_is_part_of_the_status(api):
    filing = post(api, "status", {"id_number": RETIREE})["filing"]
    assert filing["city_zh"] == "湖南省长沙市" and filing["reason_zh"] == "异地长期居住"
    assert filing["end_date"] == "" and filing["city_en"] == "Changsha, Hunan"
    assert post(api, "status", {"id_number": EMPLOYEE})["filing"] is None


def test_unknown_person_is_404_and_not_echoed(api):
    for path in ("status", "account", "e-voucher", "certificates"):
        r = api.post(f"{BASE}/{path}", json={"id_number": UNKNOWN})
        assert r.status_code == 404 and UNKNOWN not in r.text


# -- account --------------------------------------------------------------------------------

def test_a_long_spending_list_comes_whole_newest_first(api):
    a = post(api, "account", {"id_number": LONG})
    rows = a["spending"]
    assert len(rows) > 400 and a["balance_fen"] == 874512
    assert [r["spent_at"] for r in rows] == sorted((r["spent_at"] for r in rows), reverse=True)
    assert {r["kind"] for r in rows} == {"pharmacy", "outpatient", "inpatient"}
    for r in rows:
        assert r["total_fen"] == r["fund_fen"] + r["account_fen"] + r["cash_fen"]
        assert r["cash_fen"] >= 0 and r["place_en"] != r["place"]
    assert a["total_account_fen"] == sum(r["account_fen"] for r in rows)


def test_account_edge_cases(api):
    frozen = post(api, "account", {"id_number": FROZEN})
    assert frozen["account_state"] == "frozen" and frozen["note_zh"] and frozen["note_en"]
    assert frozen["spending"][0]["spent_at"] < "2026-06"  # nothing since it was frozen
    zero = post(api, "account", {"id_number": ZERO})
    assert zero["balance_fen"] == 0 and zero["spending"] and zero["note_zh"] == ""
    nothing = post(api, "account", {"id_number": NOTHING_SPENT})
    assert nothing["spending"] == [] and nothing["total_account_fen"] == 0
    r = api.post(f"{BASE}/account", json={"id_number": NOT_INSURED})
    assert r.status_code == 404  # 居民医保 has no personal account


# -- e-voucher ------------------------------------------------------------------------------

def test_the_voucher_payload_is_fresh_short_lived_and_impersonal(api):
    first = post(api, "e-voucher", {"id_number": EMPLOYEE})
    second = post(api, "e-voucher", {"id_number": EMPLOYEE})
    assert first["qr_payload"] != second["qr_payload"]
    assert first["valid_seconds"] == 180
    assert first["expires_at"] == (DEMO_NOW + timedelta(minutes=3)).isoformat()
    url = urlparse(first["qr_payload"])
    assert (url.scheme, url.netloc) == ("https", "mi.example.gov.cn")
    assert re.fullmatch(r"[A-Z2-7]{16}", parse_qs(url.query)["t"][0])
    assert EMPLOYEE[-6:] not in first["qr_payload"] and "张" not in first["qr_payload"]


def test_a_voucher_is_claimed_once(api):
    token = parse_qs(urlparse(post(api, "e-voucher", {"id_number": NORMAL})["qr_payload"]).query)
    path = f"/api/v1/_demo/e-voucher/{token['t'][0]}"
    claimed = api.post(path)
    assert claimed.json() == {"claimed": True, "holder_name_masked": "吴*规"}
    again = api.post(path)
    assert again.status_code == 409 and again.json()["error"] == "voucher_used"
    assert api.post("/api/v1/_demo/e-voucher/AAAAAAAAAAAAAAAA").status_code == 404


def test_an_expired_voucher_is_refused(tmp_path):
    now = [DEMO_NOW]
    app = create_app(tmp_path / "b.sqlite", clock=lambda: now[0])
    with TestClient(app) as c:
        c.auth = SigningAuth(*next(iter(DEMO_APP_KEYS.items())))
        payload = post(c, "e-voucher", {"id_number": EMPLOYEE})["qr_payload"]
        now[0] += timedelta(minutes=3, seconds=1)
        r = c.post(f"/api/v1/_demo/e-voucher/{payload.rsplit('=', 1)[1]}")
    assert r.status_code == 409 and r.json()["error"] == "voucher_expired"


def test_no_voucher_when_not_insured(api):
    r = api.post(f"{BASE}/e-voucher", json={"id_number": NOT_INSURED})
    assert r.status_code == 409 and r.json()["error"] == "not_insured"


# -- 异地就医备案 -------------------------------------------------------------------------

def test_options_list_cities_and_the_four_reasons(api):
    options = api.get(f"{BASE}/filing-options").json()
    assert [r["name_zh"] for r in options["reasons"]] == [
        "异地长期居住", "常驻异地工作", "异地转诊", "临时外出就医"]
    assert all(c["name_zh"] and c["name_en"] for c in options["cities"])
    assert "440300" not in {c["code"] for c in options["cities"]}  # not where one is insured


def test_a_filing_is_made_once_whatever_is_resent(api, db_path):
    filing = post(api, "filings", form())
    assert re.fullmatch(r"BA20261122\d{6}", filing["filing_ref"])
    assert (filing["start_date"], filing["end_date"]) == ("2026-11-25", "2027-05-24")
    assert filing["city_zh"] == "广东省广州市" and filing["reason_zh"] == "异地转诊"
    for _ in range(3):  # the answer was lost: the kiosk sends the same key again
        assert post(api, "filings", form()) == filing
    other_key = api.post(f"{BASE}/filings", json=form(key="z" * 32))
    assert other_key.status_code == 409 and other_key.json()["error"] == "already_filed"
    assert filings(db_path, NORMAL) == 1
    assert post(api, "status", {"id_number": NORMAL})["filing"] == filing


def test_long_term_filings_have_no_end(api):
    filing = post(api, "filings", form(reason="work_elsewhere", start_date="2026-11-22"))
    assert filing["end_date"] == "" and filing["reason_zh"] == "常驻异地工作"


@pytest.mark.parametrize("change", [
    {"city_code": "440100", "reason": "temporary"},
    {"city_code": "430100"},
    {"start_date": "2026-12-01"},
    {"id_number": EMPLOYEE},
])
def test_a_key_belongs_to_one_form(api, db_path, change):
    post(api, "filings", form())
    r = api.post(f"{BASE}/filings", json=form(**change))
    assert r.status_code == 409 and r.json()["error"] == "key_reused"
    assert filings(db_path, EMPLOYEE) == 0


@pytest.mark.parametrize(("id_number", "error"), [
    (RETIREE, "already_filed"), (FROZEN, "not_insured"), (NOT_INSURED, "not_insured"),
])
def test_who_cannot_file(api, db_path, id_number, error):
    before = filings(db_path, id_number)
    r = api.post(f"{BASE}/filings", json=form(id_number))
    assert r.status_code == 409 and r.json()["error"] == error
    assert filings(db_path, id_number) == before


@pytest.mark.parametrize("change", [
    {"city_code": "440300"}, {"city_code": "beijing"}, {"reason": "holiday"},
    {"start_date": "2026-11-21"}, {"start_date": "2027-02-21"}, {"start_date": "25/11/2026"},
    {"idempotency_key": "short"}, {"name": "吴常规"},
])
def test_a_malformed_filing_is_refused_and_files_nothing(api, db_path, change):
    r = api.post(f"{BASE}/filings", json=form(**change))
    assert r.status_code == 422 and r.json()["error"] == "invalid_request"
    assert "吴常规" not in r.text and NORMAL not in r.text
    assert filings(db_path, NORMAL) == 0


def test_racing_filings_with_different_keys_file_once(api, db_path):
    def attempt(i: int) -> int:
        return api.post(f"{BASE}/filings", json=form(key=f"race-key-{i:08d}")).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(attempt, range(8)))
    assert sorted(codes) == [200] + [409] * 7
    assert filings(db_path, NORMAL) == 1


# -- 参保凭证 -----------------------------------------------------------------------------

def test_the_certificate_is_verifiable_and_names_the_filing(api):
    cert = post(api, "certificates", {"id_number": RETIREE}, status=201)
    assert cert["title"] == "基本医疗保险参保凭证" and cert["issuer"] == "深圳市医疗保障局"
    assert cert["id_number_masked"] == "440303********2340"
    assert dict(map(tuple, cert["rows"])) == {
        "险种": "职工基本医疗保险", "人员类别": "退休", "参保状态": "正常参保",
        "参保日期": "1998-01起", "参保地": "深圳市", "异地就医备案": "湖南省长沙市（异地长期居住）"}
    code = cert["verification_code"]
    assert re.fullmatch(r"YB20261122[A-Z2-7]{8}", code)
    v = api.get(f"/api/v1/certificates/{code}").json()
    assert v == {"valid": True, "kind": "medical_insurance.enrolment",
                 "issued_at": "2026-11-22 20:15", "holder_name_masked": "李*示"}


def test_nothing_to_certify_when_not_insured_this_year(api):
    r = api.post(f"{BASE}/certificates", json={"id_number": NOT_INSURED})
    assert r.status_code == 404
    suspended = post(api, "certificates", {"id_number": FROZEN}, status=201)
    assert ["参保状态", "暂停参保"] in suspended["rows"]


def test_every_route_is_signed(tmp_path):
    with TestClient(create_app(tmp_path / "b.sqlite")) as c:
        for path in ("status", "account", "e-voucher", "filings", "certificates"):
            r = c.post(f"{BASE}/{path}", json={"id_number": EMPLOYEE})
            assert (r.status_code, r.json()["error"]) == (401, "unsigned")
        assert c.get(f"{BASE}/filing-options").status_code == 401


def test_openapi_documents_the_department(api):
    paths = set(api.get("/openapi.json").json()["paths"])
    assert {f"{BASE}/{p}" for p in ("status", "account", "e-voucher", "filings",
                                    "filing-options", "certificates")} <= paths
    assert not any("_demo" in p for p in paths)
