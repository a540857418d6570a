"""社保 histories through the kiosk's client, against the real back end process."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.departments.social_security.service import ContributionMonth, SocialSecurityService
from kiosk.services.gateway import BackendClient, ServiceError
from tests.kiosk.conftest import demo_auth, set_fault

LONG_CAREER = "440303197006301234"  # 孙样例
RETIREE = "440303196208152340"  # 李演示
NO_RECORDS = "440305200305211236"  # 王测试
UNKNOWN = "110105200001010016"

pytestmark = pytest.mark.timeout(60)


def test_hundreds_of_contribution_months(live_client: BackendClient) -> None:
    history = SocialSecurityService(live_client).contributions(LONG_CAREER)
    assert history.holder_name == "孙样例" and len(history.months) == 401
    assert history.months[0] == ContributionMonth(
        "2026-10", "深圳市样本制造有限公司", 1500000, 354000, 154500, "regular")
    assert history.total_personal_fen == sum(m.personal_fen for m in history.months)


def test_a_person_without_records_has_empty_histories(live_client: BackendClient) -> None:
    service = SocialSecurityService(live_client)
    assert service.contributions(NO_RECORDS).months == ()
    assert service.pension_payments(NO_RECORDS).payments == ()


def test_pension_payments(live_client: BackendClient) -> None:
    pensions = SocialSecurityService(live_client).pension_payments(RETIREE)
    assert len(pensions.payments) == 171
    assert pensions.payments[0].bank == "中国工商银行（尾号6621）"


def test_unknown_person(live_client: BackendClient) -> None:
    with pytest.raises(ServiceError) as err:
        SocialSecurityService(live_client).contributions(UNKNOWN)
    assert err.value.kind == "not_found" and UNKNOWN not in str(err.value)


@pytest.mark.parametrize(("mode", "kind"), [("down", "bad_response"), ("garbage", "bad_response"),
                                            ("slow", "timeout")])
def test_a_misbehaving_department(live_backend: tuple[str, Path], mode: str, kind: str) -> None:
    url, _folder = live_backend
    set_fault(url, "social-security", mode, seconds=1.5)
    try:
        with BackendClient(url, timeout=0.5, retries=0, auth=demo_auth()) as c, \
                pytest.raises(ServiceError) as err:
            SocialSecurityService(c).pension_payments(RETIREE)
        assert err.value.kind == kind
    finally:
        set_fault(url, "social-security", "none")
