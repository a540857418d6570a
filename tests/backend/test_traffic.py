"""交管 on the demo back end: licences, violations, and payment orders that never charge
twice (idempotency keys, one payable order per fine, races between pay and cancel)."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.settings import DEMO_APP_KEYS
from kiosk.services.signing import SigningAuth
from tests.backend.conftest import DEMO_NOW

BASE = "/api/v1/traffic"
ZHANG, ZHAO, SUN, HUANG = ("440304198803121237", "440306197902041230",
                           "440303197006301234", "440305199607282341")
NO_LICENCE = "440305200305211236"  # 王测试
FINE = "4403052026000118"  # 张示例, unpaid, 200 yuan
UNPROCESSED = "4403062026001777"
PAID = "4403052025004417"
KEY = "a" * 32


def post(api: TestClient, path: str, body: dict, status: int = 200) -> dict:
    r = api.post(f"{BASE}/{path}", json=body)
    assert r.status_code == status, r.text
    return r.json()


def order(api: TestClient, ref: str = FINE, key: str = KEY, status: int = 200) -> dict:
    return post(api, "payments", {"violation_ref": ref, "idempotency_key": key}, status)


def pay(api: TestClient, order_id: str):
    return api.post(f"/api/v1/_demo/pay/{order_id}")


def test_licences(api: TestClient) -> None:
    zhang = post(api, "licence", {"id_number": ZHANG})
    assert (zhang["licence_class"], zhang["points_deducted"], zhang["points_left"]) == ("C1", 3, 9)
    assert zhang["status"] == "valid" and zhang["licence_no_masked"] == "440304********1237"
    assert post(api, "licence", {"id_number": SUN})["status"] == "expired"
    assert post(api, "licence", {"id_number": HUANG})["probation"] is True
    assert api.post(f"{BASE}/licence", json={"id_number": NO_LICENCE}).status_code == 404


@pytest.mark.parametrize("plate", ["粤BD12345", "粤B·D12345", "粤b d12345"])
def test_violations_by_plate_need_the_matching_vin(api: TestClient, plate: str) -> None:
    body = post(api, "violations/by-plate", {"plate": plate, "vin_last6": "312846"})
    assert body["holder_name"] == "张示例"
    assert [v["status"] for v in body["violations"]] == ["unpaid", "unpaid", "paid"]
    assert {v["plate_masked"] for v in body["violations"]} == {"粤BD***45"}
    wrong = api.post(f"{BASE}/violations/by-plate", json={"plate": plate, "vin_last6": "312847"})
    unknown = api.post(f"{BASE}/violations/by-plate",
                       json={"plate": "粤BD54321", "vin_last6": "312846"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()  # an unknown plate and a wrong VIN look alike


@pytest.mark.parametrize(("plate", "vin"), [("粤BI2345", "312846"), ("港B12345", "312846"),
                                            ("粤BD12345", "31284O"), ("粤BD1234", "31284")])
def test_malformed_plates_are_422_without_echo(api: TestClient, plate: str, vin: str) -> None:
    r = api.post(f"{BASE}/violations/by-plate", json={"plate": plate, "vin_last6": vin})
    assert r.status_code == 422 and plate not in r.text


def test_new_energy_plates_both_kinds(api: TestClient) -> None:
    large = post(api, "violations/by-plate", {"plate": "粤B12345D", "vin_last6": "044720"})
    assert large["holder_name"] == "孙样例" and large["violations"][0]["status"] == "paid"
    none = post(api, "violations/by-plate", {"plate": "粤A8X9Y7", "vin_last6": "098815"})
    assert none["violations"] == []


def test_violations_by_licence(api: TestClient) -> None:
    zhao = post(api, "violations/by-licence", {"id_number": ZHAO})["violations"]
    assert [v["status"] for v in zhao] == ["unpaid"] * 4  # the unprocessed one has no driver yet
    plate = post(api, "violations/by-plate", {"plate": "粤B5K2M8", "vin_last6": "207731"})
    assert "unprocessed" in [v["status"] for v in plate["violations"]]


def test_an_order_is_issued_once_per_key_and_once_per_fine(api: TestClient) -> None:
    first = order(api)
    assert re.fullmatch(r"PO[A-Z2-7]{16}", first["order_id"])
    assert (first["status"], first["amount_fen"]) == ("pending", 20000)
    assert first["pay_url"].endswith(f"?order={first['order_id']}")
    assert order(api) == first  # the same key: the same order
    assert order(api, key="b" * 32)["order_id"] == first["order_id"]  # one payable per fine
    assert order(api, ref=PAID, key=KEY, status=409)["error"] == "key_reused"


def test_paying_twice_charges_once_and_the_fine_is_paid(api: TestClient) -> None:
    o = order(api)
    assert pay(api, o["order_id"]).json()["charged"] is True
    assert pay(api, o["order_id"]).json()["charged"] is False
    assert post(api, "payments/status", {"order_id": o["order_id"]})["status"] == "paid"
    assert order(api, key="c" * 32, status=409)["error"] == "already_paid"
    assert order(api)["status"] == "paid"  # the first key still finds its (paid) order
    fines = post(api, "violations/by-licence", {"id_number": ZHANG})["violations"]
    paid = next(v for v in fines if v["ref"] == FINE)
    assert paid["status"] == "paid" and paid["paid_order"] == o["order_id"]


def test_a_receipt_only_for_a_paid_order_and_always_the_same(api: TestClient) -> None:
    o = order(api)
    assert post(api, "payments/receipt", {"order_id": o["order_id"]}, 409)["error"] == "not_paid"
    pay(api, o["order_id"])
    one = post(api, "payments/receipt", {"order_id": o["order_id"]})
    two = post(api, "payments/receipt", {"order_id": o["order_id"]})
    assert one == two and one["title"] == "交通违法罚款缴纳凭证"
    assert dict(one["rows"])["号牌号码"] == "粤BD***45"
    assert re.fullmatch(r"JF\d{8}[A-Z2-7]{8}", one["verification_code"])


def test_cancelled_and_expired_orders_cannot_be_paid(tmp_path) -> None:
    now = [DEMO_NOW]
    app = create_app(tmp_path / "b.sqlite", clock=lambda: now[0])
    with TestClient(app) as api:
        api.auth = SigningAuth(*next(iter(DEMO_APP_KEYS.items())))
        o = order(api)
        assert post(api, "payments/cancel", {"order_id": o["order_id"]})["status"] == "cancelled"
        assert pay(api, o["order_id"]).status_code == 409
        fresh = order(api, key="d" * 32)
        assert fresh["order_id"] != o["order_id"]
        now[0] = DEMO_NOW + timedelta(minutes=16)
        assert post(api, "payments/status", {"order_id": fresh["order_id"]})["status"] == "expired"
        assert pay(api, fresh["order_id"]).status_code == 409
        assert order(api, key="e" * 32)["status"] == "pending"  # a new order after expiry


def test_lookup_by_key_and_unprocessed_fines(api: TestClient) -> None:
    assert api.post(f"{BASE}/payments/lookup", json={"idempotency_key": KEY}).status_code == 404
    o = order(api)
    assert post(api, "payments/lookup", {"idempotency_key": KEY})["order_id"] == o["order_id"]
    assert order(api, ref=UNPROCESSED, key="f" * 32, status=409)["error"] == "not_payable"
    assert order(api, ref="0000", key="g" * 32, status=404)["error"] == "not_found"


def test_payment_and_cancellation_racing_cannot_both_win(tmp_path) -> None:
    app = create_app(tmp_path / "race.sqlite")
    auth = SigningAuth(*next(iter(DEMO_APP_KEYS.items())))
    fines = ["4403062026001201", "4403062026001388", "4403062026001502", "4403062026001650",
             FINE, "4403052026000342"]
    rounds = 0
    with TestClient(app) as api:
        api.auth = auth
        for round_ in range(12):
            ref = fines[round_ % len(fines)]
            r = api.post(f"{BASE}/payments",
                         json={"violation_ref": ref, "idempotency_key": f"race{round_:02d}" * 4})
            if r.status_code == 409:  # paid in an earlier round
                continue
            oid = r.json()["order_id"]
            results: dict[str, object] = {}

            def do_pay(oid=oid, results=results) -> None:
                with TestClient(app) as c:
                    results["pay"] = c.post(f"/api/v1/_demo/pay/{oid}")

            def do_cancel(oid=oid, results=results) -> None:
                with TestClient(app) as c:
                    c.auth = auth
                    results["cancel"] = c.post(f"{BASE}/payments/cancel", json={"order_id": oid})

            threads = [threading.Thread(target=do_pay), threading.Thread(target=do_cancel)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            rounds += 1
            final = post(api, "payments/status", {"order_id": oid})["status"]
            paid = results["pay"].status_code == 200
            assert final == ("paid" if paid else "cancelled")
            assert results["cancel"].json()["status"] == final  # cancel reports who won
            fine = next(v for v in post(api, "violations/by-plate", {
                "plate": "粤B5K2M8" if ref.startswith("440306") else "粤BD12345",
                "vin_last6": "207731" if ref.startswith("440306") else "312846",
            })["violations"] if v["ref"] == ref)
            assert (fine["status"] == "paid") == paid
    assert rounds >= 6
