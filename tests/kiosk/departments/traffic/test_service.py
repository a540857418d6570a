"""交管 through the kiosk's client, against the real back end process."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from kiosk.departments.traffic.service import TrafficService
from kiosk.services.gateway import BackendClient, ServiceError
from tests.kiosk.conftest import demo_auth, set_fault

CHEN = "44030719850917234X"  # a car without violations, a clean licence
NO_LICENCE = "440305200305211236"
pytestmark = pytest.mark.timeout(60)


def test_licence_and_violations(live_client: BackendClient) -> None:
    traffic = TrafficService(live_client)
    lic = traffic.licence(CHEN)
    assert (lic.licence_class, lic.points_left, lic.status) == ("C1", 12, "valid")
    assert "陈模拟" not in repr(lic)
    found = traffic.violations_by_plate("粤A8X9Y7", "098815")
    assert found.holder_name == "陈模拟" and found.violations == ()
    large = traffic.violations_by_plate("粤B12345D", "044720")
    assert large.violations[0].status == "paid" and not large.violations[0].payable


def test_not_found_and_rejected(live_client: BackendClient) -> None:
    traffic = TrafficService(live_client)
    with pytest.raises(ServiceError) as err:
        traffic.licence(NO_LICENCE)
    assert err.value.kind == "not_found"
    with pytest.raises(ServiceError) as err:
        traffic.violations_by_plate("粤A8X9Y7", "000000")
    assert err.value.kind == "not_found" and "粤A8X9Y7" not in str(err.value)
    with pytest.raises(ServiceError) as err:
        traffic.create_order("4403062026001777", "u" * 32)  # to be processed at a counter
    assert (err.value.kind, err.value.status) == ("rejected", 409)


def test_an_order_paid_by_phone_then_its_receipt(live_client: BackendClient,
                                                 live_backend: tuple[str, Path]) -> None:
    traffic = TrafficService(live_client)
    order = traffic.create_order("4403062026001650", "svc-test-key-0001")
    assert order.status == "pending" and traffic.find_order("svc-test-key-0001") == order
    httpx.post(f"{live_backend[0]}/api/v1/_demo/pay/{order.order_id}", timeout=5)
    assert traffic.order_status(order.order_id).status == "paid"
    assert traffic.cancel_order(order.order_id).status == "paid"  # too late: it stays paid
    receipt = traffic.receipt(order.order_id)
    assert receipt.title == "交通违法罚款缴纳凭证" and receipt.verification_code.startswith("JF")


@pytest.mark.parametrize(("mode", "kind"), [("down", "bad_response"), ("garbage", "bad_response"),
                                            ("slow", "timeout")])
def test_a_misbehaving_department(live_backend: tuple[str, Path], mode: str, kind: str) -> None:
    url, _folder = live_backend
    set_fault(url, "traffic", mode, seconds=1.5)
    try:
        with BackendClient(url, timeout=0.5, retries=0, auth=demo_auth()) as c, \
                pytest.raises(ServiceError) as err:
            TrafficService(c).violations_by_plate("粤A8X9Y7", "098815")
        assert err.value.kind == kind and "粤A8X9Y7" not in str(err.value)
    finally:
        set_fault(url, "traffic", "none")
