"""办事指南 and 一件事 on the demo back end."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

EMPLOYEE = "440304198803121237"
STUDENT = "440305200305211236"
RETIREE = "440303196208152340"  # housing fund account closed at retirement
UNKNOWN = "110105200001010016"


def bundle(api: TestClient, bundle_id: str, id_number: str, status: int = 200) -> dict:
    r = api.post("/api/v1/guides/bundle", json={"bundle_id": bundle_id, "id_number": id_number})
    assert r.status_code == status, r.text
    return r.json()


def test_catalog(api: TestClient) -> None:
    body = api.get("/api/v1/guides/catalog").json()
    assert len(body["guides"]) >= 12 and {b["id"] for b in body["bundles"]} == {
        "restaurant", "newborn", "retire"}
    for g in body["guides"]:
        assert g["pinyin"] and g["title_en"] and g["materials"]
        assert all(m["name_en"] != m["name_zh"] for m in g["materials"])  # translated


@pytest.mark.parametrize(("id_number", "held"), [
    (EMPLOYEE, {"居民身份证", "社会保险参保登记", "住房公积金缴存登记"}),
    (STUDENT, {"居民身份证"}),
    (RETIREE, {"居民身份证", "社会保险参保登记"}),
])
def test_a_bundle_marks_what_the_government_holds(api: TestClient, id_number: str,
                                                  held: set[str]) -> None:
    body = bundle(api, "restaurant", id_number)
    assert len(body["steps"]) == 7 and len({s["department"] for s in body["steps"]}) == 6
    assert {m["name_zh"] for m in body["materials"] if m["held"]} == held


def test_unknown_bundle_or_person(api: TestClient) -> None:
    bundle(api, "nothing", EMPLOYEE, status=404)
    bundle(api, "restaurant", UNKNOWN, status=404)
    assert api.post("/api/v1/guides/bundle",
                    json={"bundle_id": "../x", "id_number": EMPLOYEE}).status_code == 422
