"""The demo back end in-process (FastAPI TestClient) over a temporary SQLite file."""

from __future__ import annotations

import re
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from backend.app import create_app
from backend.citizens import DEMO_CITIZENS, DemoCitizen, check_digit, is_valid_id_number
from backend.settings import CHINA_TZ, DEMO_APP_KEYS
from kiosk.services.signing import SigningAuth

NOW = datetime(2026, 11, 22, 20, 15, 42, tzinfo=CHINA_TZ)
EMPLOYEE = "440304198803121237"  # 张示例, five insurances paying
RETIREE = "440303196208152340"  # 李演示
NO_RECORDS = "440305200305211236"  # 王测试
SUSPENDED = "440306197902041230"  # 赵样本
FLEXIBLE = "44030719850917234X"  # 陈模拟
UNKNOWN = "11010520000101001" + check_digit("11010520000101001")  # well-formed, unknown
INSURANCE = "/api/v1/social-security/insurance"
CERTIFICATES = "/api/v1/social-security/certificates"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "backend.sqlite"


@pytest.fixture
def client(db_path: Path) -> TestClient:
    app = create_app(db_path, verify_base="https://verify.test/v", clock=lambda: NOW)
    with TestClient(app) as c:
        c.auth = SigningAuth(*next(iter(DEMO_APP_KEYS.items())))
        yield c


def insurance(client: TestClient, id_number: str) -> dict:
    r = client.post(INSURANCE, json={"id_number": id_number})
    assert r.status_code == 200, r.text
    return r.json()


def test_health(client: TestClient) -> None:
    assert client.get("/api/v1/health").json() == {"status": "ok"}


def test_employee_has_five_paying_insurances_in_order(client: TestClient) -> None:
    body = insurance(client, EMPLOYEE)
    assert body["holder_name"] == "张示例"
    types = [i["type"] for i in body["insurances"]]
    assert types == ["pension", "medical", "unemployment", "injury", "maternity"]
    first = body["insurances"][0]
    assert first == {
        "type": "pension", "name_zh": "基本养老保险", "name_en": "Basic pension insurance",
        "status": "paying", "status_zh": "参保缴费", "status_en": "Paying",
        "since": "2015-03", "months": 128, "unit": "深圳市示例科技有限公司",
    }


@pytest.mark.parametrize(
    ("id_number", "types", "status", "status_zh"),
    [
        (RETIREE, ["pension", "medical"], "retired", "退休享受待遇"),
        (SUSPENDED, ["pension", "medical", "unemployment", "injury", "maternity"],
         "suspended", "暂停缴费"),
        (FLEXIBLE, ["pension", "medical"], "paying", "参保缴费"),
    ],
)
def test_edge_case_citizens(
    client: TestClient, id_number: str, types: list[str], status: str, status_zh: str
) -> None:
    body = insurance(client, id_number)
    assert [i["type"] for i in body["insurances"]] == types
    assert {(i["status"], i["status_zh"]) for i in body["insurances"]} == {(status, status_zh)}


def test_known_person_without_records_gets_an_empty_list(client: TestClient) -> None:
    assert insurance(client, NO_RECORDS) == {"holder_name": "王测试", "insurances": []}


def test_lowercase_x_is_accepted(client: TestClient) -> None:
    assert insurance(client, FLEXIBLE.lower())["holder_name"] == "陈模拟"


def test_unknown_person_is_404(client: TestClient) -> None:
    r = client.post(INSURANCE, json={"id_number": UNKNOWN})
    assert r.status_code == 404
    assert r.json()["error"] == "not_found"
    assert UNKNOWN not in r.text


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ({"id_number": "44030419880312123"}, "18 characters"),
        ({"id_number": "4403041988031212377"}, "18 characters"),
        ({"id_number": "44030419880312123A"}, "18 characters"),
        ({"id_number": "440304198803121238"}, "check digit"),
        ({"id_number": 440304198803121237}, "id_number"),
        ({}, "id_number"),
        ({"id_number": EMPLOYEE, "name": "张示例"}, "name"),
    ],
)
def test_malformed_requests_are_422_without_echoing_input(
    client: TestClient, body: dict, hint: str
) -> None:
    for path in (INSURANCE, CERTIFICATES):
        r = client.post(path, json=body)
        assert r.status_code == 422, r.text
        assert r.json()["error"] == "invalid_request"
        assert hint in r.json()["message"]
        assert "44030419880312" not in r.text and "张示例" not in r.text


def test_certificate_is_issued_stored_and_verifiable(client: TestClient, db_path: Path) -> None:
    r = client.post(CERTIFICATES, json={"id_number": FLEXIBLE})
    assert r.status_code == 201, r.text
    cert = r.json()
    assert cert["title"] == "社会保险参保证明"
    assert cert["holder_name"] == "陈模拟"
    assert cert["id_number_masked"] == "440307********234X"
    assert cert["rows"] == [
        ["基本养老保险", "参保缴费 2019-01起 累计82个月"],
        ["基本医疗保险", "参保缴费 2019-01起 累计82个月"],
        ["参保单位", "灵活就业人员（个人缴费）"],
    ]
    code = cert["verification_code"]
    assert re.fullmatch(r"SB20261122[A-Z2-7]{8}", code)
    assert cert["verify_url"] == f"https://verify.test/v?code={code}"
    assert cert["issued_at"] == "2026-11-22 20:15"
    assert cert["issuer"] == "深圳市社会保险基金管理局"

    with sqlite3.connect(db_path) as conn:
        kind, masked = conn.execute(
            "SELECT kind, holder_masked FROM certificates WHERE verification_code = ?", (code,)
        ).fetchone()
    assert (kind, masked) == ("social_security.insurance", "陈*拟")

    for asked in (code, code.lower()):
        v = client.get(f"/api/v1/certificates/{asked}")
        assert v.status_code == 200
        assert v.json() == {
            "valid": True, "kind": "social_security.insurance",
            "issued_at": "2026-11-22 20:15", "holder_name_masked": "陈*拟",
        }


def test_certificate_codes_are_unique(client: TestClient) -> None:
    codes = {client.post(CERTIFICATES, json={"id_number": EMPLOYEE}).json()["verification_code"]
             for _ in range(20)}
    assert len(codes) == 20


def test_no_records_means_nothing_to_certify(client: TestClient) -> None:
    r = client.post(CERTIFICATES, json={"id_number": NO_RECORDS})
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    assert client.post(CERTIFICATES, json={"id_number": UNKNOWN}).status_code == 404


def test_unknown_verification_code_is_404(client: TestClient) -> None:
    r = client.get("/api/v1/certificates/SB20261122AAAAAAAA")
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_rating_is_stored_without_identity(client: TestClient, db_path: Path) -> None:
    body = {"terminal_id": "SZ-FT-0001", "service": "social_security.certificate",
            "score": 2, "reasons": ["等待时间长", "打印不清晰"]}
    r = client.post("/api/v1/ratings", json=body)
    assert r.status_code == 201
    rating_id = r.json()["id"]
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "SELECT terminal_id, service, score, reasons FROM ratings WHERE id = ?", (rating_id,)
        ).fetchone()
    assert row == ("SZ-FT-0001", "social_security.certificate", 2, '["等待时间长", "打印不清晰"]')


@pytest.mark.parametrize(
    "change",
    [{"score": 0}, {"score": 6}, {"score": "5"}, {"score": True}, {"terminal_id": ""},
     {"reasons": ["x" * 101]}, {"id_number": EMPLOYEE}],
)
def test_bad_ratings_are_422(client: TestClient, change: dict) -> None:
    body = {"terminal_id": "SZ-FT-0001", "service": "s", "score": 5, "reasons": [], **change}
    r = client.post("/api/v1/ratings", json=body)
    assert r.status_code == 422 and r.json()["error"] == "invalid_request"


def test_concurrent_requests_each_get_their_own_connection(db_path: Path) -> None:
    app = create_app(db_path)
    rating = {"terminal_id": "SZ-FT-0001", "service": "s", "score": 4, "reasons": []}

    def work(_: int) -> list[str]:
        with TestClient(app) as c:
            c.auth = SigningAuth(*next(iter(DEMO_APP_KEYS.items())))
            codes = []
            for _ in range(5):
                r = c.post(CERTIFICATES, json={"id_number": EMPLOYEE})
                assert r.status_code == 201, r.text
                codes.append(r.json()["verification_code"])
                assert c.post("/api/v1/ratings", json=rating).status_code == 201
            return codes

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = [code for batch in pool.map(work, range(8)) for code in batch]
    assert len(set(codes)) == 40
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM ratings").fetchone()[0] == 40


def test_openapi_documents_the_contract(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) >= {
        "/api/v1/health", INSURANCE, CERTIFICATES, "/api/v1/certificates/{code}",
        "/api/v1/ratings",
    }
    assert "ErrorBody" in spec["components"]["schemas"]
    assert "InsuranceStatusOut" in spec["components"]["schemas"]


def test_personal_inputs_never_travel_in_urls(client: TestClient) -> None:
    # Only the verification code (printed for anyone to check) may sit in a URL.
    spec = client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        for op in ops.values():
            names = {p["name"] for p in op.get("parameters", [])}
            assert names <= {"code"}, (path, names)


def test_open_db_is_idempotent_and_uses_wal(db_path: Path) -> None:
    from backend.db import open_db

    for _ in range(3):
        conn = open_db(db_path)
        persons = conn.execute("SELECT COUNT(*) FROM persons").fetchone()[0]
        insurances = conn.execute("SELECT COUNT(*) FROM insurances").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        conn.close()
        assert persons == len(DEMO_CITIZENS)
        assert insurances == sum(len(c.insurances) for c in DEMO_CITIZENS)
        assert mode == "wal"


# --- demo citizens -------------------------------------------------------------------------

def test_check_digit_matches_the_standard_example() -> None:
    assert check_digit("11010519491231002") == "X"  # the example printed in GB 11643
    with pytest.raises(ValueError):
        check_digit("1234")


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_digit_catches_every_single_digit_typo(first17: str) -> None:
    assert is_valid_id_number(first17 + check_digit(first17))
    for pos in range(17):
        for d in "0123456789".replace(first17[pos], ""):
            typo = first17[:pos] + d + first17[pos + 1:]
            assert not is_valid_id_number(typo + check_digit(first17))


def test_every_demo_id_number_is_valid_and_consistent() -> None:
    ids = [c.id_number for c in DEMO_CITIZENS]
    assert len(DEMO_CITIZENS) == 10 and len(set(ids)) == 10
    assert any(i.endswith("X") for i in ids)
    for c in DEMO_CITIZENS:
        assert len(c.id_number) == 18 and c.id_number[17] == check_digit(c.id_number[:17])
        assert c.id_number[6:14] == c.birth
        assert c.sex == ("1" if int(c.id_number[16]) % 2 else "2")  # odd: male
        assert c.nation_name and c.authority.startswith("深圳市公安局")
        assert re.fullmatch(r"\d{8}", c.valid_from)
        assert c.valid_to == "长期" or re.fullmatch(r"\d{8}", c.valid_to)


def test_demo_citizens_cover_the_situations() -> None:
    def statuses(c: DemoCitizen) -> set[tuple[str, str]]:
        return {(i.type, i.status) for i in c.insurances}

    all_five = {"pension", "medical", "unemployment", "injury", "maternity"}
    assert any(statuses(c) == {(t, "paying") for t in all_five} for c in DEMO_CITIZENS)
    assert any(("pension", "retired") in statuses(c) for c in DEMO_CITIZENS)
    assert any(not c.insurances for c in DEMO_CITIZENS)
    assert any(statuses(c) == {(t, "suspended") for t in all_five} for c in DEMO_CITIZENS)
    assert any(statuses(c) == {("pension", "paying"), ("medical", "paying")}
               for c in DEMO_CITIZENS)
    assert any(c.birth < "19450101" for c in DEMO_CITIZENS)


# -- request signing -------------------------------------------------------------------

def test_signature_golden_vector() -> None:
    """Ties the kiosk's signer to the back end's verifier, which are written apart."""
    from backend.signing import expected_signature
    from kiosk.services.signing import signature

    args = ("s3cret-key", "POST", "/api/v1/ratings", "1763800000", "00ff", b'{"a":1}')
    # Computed by hand from the documented string to sign, with hashlib and hmac alone.
    golden = "df56ad87f1b2089422717e169eaf09ebc534345b9ee71377358a2055cc77180c"
    assert signature(*args) == golden
    assert expected_signature(*args) == golden


@pytest.mark.parametrize(
    ("mutate", "error"),
    [
        (lambda h: h.pop("X-Signature"), "unsigned"),
        (lambda h: h.update({"X-App-Key": "someone-else"}), "unknown_app"),
        (lambda h: h.update({"X-Timestamp": str(int(time.time()) - 3600)}), "stale_timestamp"),
        (lambda h: h.update({"X-Signature": "0" * 64}), "bad_signature"),
        (lambda h: h.update({"X-Nonce": h["X-Nonce"] + "x"}), "bad_signature"),
    ],
)
def test_badly_signed_requests_are_refused(db_path: Path, mutate, error: str) -> None:
    from kiosk.services.signing import sign_headers

    body = b'{"id_number": "%s"}' % EMPLOYEE.encode()
    headers = sign_headers(*next(iter(DEMO_APP_KEYS.items())), "POST", INSURANCE, body)
    mutate(headers)
    with TestClient(create_app(db_path)) as c:
        r = c.post(INSURANCE, content=body, headers={**headers, "content-type": "application/json"})
    assert r.status_code == 401
    assert r.json()["error"] == error


def test_a_replayed_request_is_refused(db_path: Path) -> None:
    from kiosk.services.signing import sign_headers

    body = b'{"id_number": "%s"}' % EMPLOYEE.encode()
    headers = sign_headers(*next(iter(DEMO_APP_KEYS.items())), "POST", INSURANCE, body)
    headers["content-type"] = "application/json"
    with TestClient(create_app(db_path)) as c:
        assert c.post(INSURANCE, content=body, headers=headers).status_code == 200
        again = c.post(INSURANCE, content=body, headers=headers)
    assert again.status_code == 401
    assert again.json()["error"] == "replayed_nonce"


def test_a_body_changed_in_transit_is_refused(db_path: Path) -> None:
    from kiosk.services.signing import sign_headers

    body = b'{"id_number": "%s"}' % EMPLOYEE.encode()
    headers = sign_headers(*next(iter(DEMO_APP_KEYS.items())), "POST", INSURANCE, body)
    headers["content-type"] = "application/json"
    other = body.replace(EMPLOYEE.encode()[-4:], b"0000")
    with TestClient(create_app(db_path)) as c:
        r = c.post(INSURANCE, content=other, headers=headers)
    assert (r.status_code, r.json()["error"]) == (401, "bad_signature")


def test_health_needs_no_signature(db_path: Path) -> None:
    with TestClient(create_app(db_path)) as c:
        assert c.get("/api/v1/health").status_code == 200


def test_the_committed_openapi_document_matches_the_code() -> None:
    from backend.openapi import DOC, contract

    assert DOC.read_text(encoding="utf-8") == contract(), (
        "docs/backend-openapi.json is out of date: run python -m backend.openapi"
    )


def test_a_resent_rating_is_stored_once(client: TestClient, db_path: Path) -> None:
    rating = {"rating_ref": "kiosk1-r-00000042", "terminal_id": "SZ-FT-0001",
              "service": "ss.certificate", "score": 5, "reasons": []}
    first = client.post("/api/v1/ratings", json=rating)
    again = client.post("/api/v1/ratings", json=rating)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM ratings").fetchone()[0] == 1
