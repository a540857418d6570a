"""公积金 through the kiosk's client, against the real back end process."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.departments.housing_fund.service import HousingFundService
from kiosk.printing.certificate import Certificate
from kiosk.services.gateway import BackendClient, ServiceError
from tests.kiosk.conftest import demo_auth, set_fault

EMPLOYEE = "440304198803121237"
FROZEN = "440306197902041230"
NO_ACCOUNT = "440305200305211236"
LONG = "440303197006301234"

pytestmark = pytest.mark.timeout(60)


def test_account_and_lists(live_client: BackendClient) -> None:
    hf = HousingFundService(live_client)
    acc = hf.account(EMPLOYEE)
    assert (acc.status, acc.balance_fen, acc.paid_until) == ("normal", 21856000, "2026-10")
    assert "张示例" not in repr(acc) and "21856000" not in repr(acc)  # nothing personal
    assert len(hf.contributions(LONG).months) == 358
    loan = hf.loans(EMPLOYEE).loans[0]
    assert len(loan.schedule) == 360 and loan.schedule[88].status == "due"
    assert [w.stage for w in hf.withdrawals(LONG).withdrawals] == ["rejected", "paid"]


def test_certificate(live_client: BackendClient) -> None:
    cert = HousingFundService(live_client).issue_certificate(EMPLOYEE)
    assert isinstance(cert, Certificate) and cert.title == "住房公积金缴存证明"
    check = live_client.get_json(f"/api/v1/certificates/{cert.verification_code}")
    assert check["valid"] is True


def test_no_account_and_frozen(live_client: BackendClient) -> None:
    hf = HousingFundService(live_client)
    with pytest.raises(ServiceError) as err:
        hf.account(NO_ACCOUNT)
    assert err.value.kind == "not_found"
    with pytest.raises(ServiceError) as err:
        hf.issue_certificate(FROZEN)
    assert (err.value.kind, err.value.status) == ("rejected", 409)
    assert "(account_frozen)" in err.value.message


@pytest.mark.parametrize(("mode", "kind"), [("down", "bad_response"), ("garbage", "bad_response"),
                                            ("slow", "timeout")])
def test_a_misbehaving_department(live_backend: tuple[str, Path], mode: str, kind: str) -> None:
    url, _folder = live_backend
    set_fault(url, "housing-fund", mode, seconds=1.5)
    try:
        with BackendClient(url, timeout=0.5, retries=0, auth=demo_auth()) as c, \
                pytest.raises(ServiceError) as err:
            HousingFundService(c).account(EMPLOYEE)
        assert err.value.kind == kind
    finally:
        set_fault(url, "housing-fund", "none")
