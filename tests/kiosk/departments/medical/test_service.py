"""医保 through the kiosk's client, against the real back end process."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from backend.settings import DEMO_APP_KEYS
from kiosk.departments.medical.service import MedicalService
from kiosk.printing.certificate import Certificate
from kiosk.services.gateway import BackendClient, ServiceError
from kiosk.services.signing import SigningAuth
from tests.kiosk.conftest import set_fault

EMPLOYEE = "440304198803121237"
RETIREE = "440303196208152340"
NOT_INSURED = "440305200305211236"
LONG = "440303197006301234"
FILER = "440304199104051238"  # 周示范: files in this module (the store is shared)

pytestmark = pytest.mark.timeout(60)


def today() -> str:
    return datetime.now(timezone(timedelta(hours=8))).date().isoformat()


def test_status_account_and_nothing_personal_in_repr(live_client: BackendClient) -> None:
    mi = MedicalService(live_client)
    status = mi.status(RETIREE)
    assert (status.scheme, status.category, status.insured) == ("employee", "retired", True)
    assert status.filing is not None and status.filing.city_zh == "湖南省长沙市"
    account = mi.account(LONG)
    assert len(account.spending) > 400 and account.spending[0].kind_en
    for value in (status, account, account.spending[0], status.filing):
        assert "<personal>" in repr(value) and "李演示" not in str(value)


def test_not_insured(live_client: BackendClient) -> None:
    mi = MedicalService(live_client)
    assert mi.status(NOT_INSURED).state == "lapsed"
    with pytest.raises(ServiceError) as err:
        mi.account(NOT_INSURED)
    assert err.value.kind == "not_found"
    with pytest.raises(ServiceError) as err:
        mi.voucher(NOT_INSURED)
    assert (err.value.kind, err.value.status) == ("rejected", 409)


def test_voucher_and_certificate(live_client: BackendClient) -> None:
    mi = MedicalService(live_client)
    voucher = mi.voucher(EMPLOYEE)
    assert voucher.qr_payload.startswith("https://mi.example.gov.cn/") and voucher.valid_seconds
    cert = mi.certificate(EMPLOYEE)
    assert isinstance(cert, Certificate) and cert.title == "基本医疗保险参保凭证"
    assert live_client.get_json(f"/api/v1/certificates/{cert.verification_code}")["valid"]
    options = mi.filing_options()
    assert len(options.reasons) == 4 and options.cities[0].name_en


def test_a_filing_whose_answer_was_lost_is_filed_once(live_backend) -> None:
    url, _ = live_backend
    auth = SigningAuth(*next(iter(DEMO_APP_KEYS.items())))
    form = ("k" * 24, "510100", "temporary", today())
    with BackendClient(url, timeout=1.0, auth=auth) as impatient:
        set_fault(url, "medical-insurance", "late", 2.0)  # acts, then answers too late
        try:
            with pytest.raises(ServiceError) as err:
                MedicalService(impatient).file(FILER, *form)
        finally:
            set_fault(url, "medical-insurance", "none")
        assert err.value.kind == "timeout"
        mi = MedicalService(impatient)
        filing = mi.file(FILER, *form)  # the same key again: the same filing
        assert mi.status(FILER).filing == filing
        with pytest.raises(ServiceError) as err:
            mi.file(FILER, "z" * 24, *form[1:])  # another key: refused, not filed again
        assert "(already_filed)" in err.value.message


def test_garbage_is_a_bad_response(live_backend, live_client: BackendClient) -> None:
    url, _ = live_backend
    set_fault(url, "medical-insurance", "garbage")
    try:
        with pytest.raises(ServiceError) as err:
            MedicalService(live_client).status(EMPLOYEE)
    finally:
        set_fault(url, "medical-insurance", "none")
    assert err.value.kind == "bad_response"
