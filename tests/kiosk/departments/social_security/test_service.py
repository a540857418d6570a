"""The kiosk's service clients against a real back end process, and against broken servers."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from backend.settings import DEMO_APP_KEYS
from kiosk.departments.social_security.service import Insurance, SocialSecurityService
from kiosk.printing.certificate import Certificate
from kiosk.services.gateway import BackendClient, ServiceError
from kiosk.services.ratings import RatingService
from kiosk.services.signing import SigningAuth
from tests.helpers.backend_proc import LOG_NAME, start_backend, stop
from tests.helpers.stub_http import stub_server

EMPLOYEE = "440304198803121237"  # 张示例
NO_RECORDS = "440305200305211236"  # 王测试
UNKNOWN = "110105200001010016"  # valid check digit, nobody in the demo

pytestmark = pytest.mark.timeout(30)


DEMO_AUTH = SigningAuth(*next(iter(DEMO_APP_KEYS.items())))

@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("backend")
    url, proc = start_backend(folder)
    try:
        yield url, folder
    finally:
        assert stop(proc) == 0  # SIGTERM is a clean exit


@pytest.fixture
def client(backend: tuple[str, Path]) -> Iterator[BackendClient]:
    with BackendClient(backend[0], timeout=5.0, auth=DEMO_AUTH) as c:
        yield c


def test_insurance_status_of_an_employee(client: BackendClient) -> None:
    status = SocialSecurityService(client).insurance_status(EMPLOYEE)
    assert status.holder_name == "张示例"
    assert [i.type for i in status.insurances] == [
        "pension", "medical", "unemployment", "injury", "maternity"]
    assert status.insurances[0] == Insurance(
        "pension", "基本养老保险", "Basic pension insurance", "paying", "参保缴费", "Paying",
        "2015-03", 128, "深圳市示例科技有限公司")


def test_known_person_without_records(client: BackendClient) -> None:
    status = SocialSecurityService(client).insurance_status(NO_RECORDS)
    assert status.holder_name == "王测试" and status.insurances == ()


def test_unknown_person_is_not_found(client: BackendClient) -> None:
    with pytest.raises(ServiceError) as err:
        SocialSecurityService(client).insurance_status(UNKNOWN)
    assert (err.value.kind, err.value.status) == ("not_found", 404)
    assert UNKNOWN not in str(err.value)


def test_malformed_id_is_rejected(client: BackendClient) -> None:
    with pytest.raises(ServiceError) as err:
        SocialSecurityService(client).insurance_status("440304198803121238")
    assert (err.value.kind, err.value.status) == ("rejected", 422)
    assert "44030419880312123" not in str(err.value)


def test_certificate_is_issued_and_verifiable(client: BackendClient) -> None:
    cert = SocialSecurityService(client).issue_certificate(EMPLOYEE)
    assert isinstance(cert, Certificate)
    assert cert.title == "社会保险参保证明" and cert.holder_name == "张示例"
    assert cert.id_number_masked == "440304********1237"
    assert cert.rows[0] == ("基本养老保险", "参保缴费 2015-03起 累计128个月")
    assert cert.rows[-1] == ("参保单位", "深圳市示例科技有限公司")
    assert cert.verify_url.endswith(f"?code={cert.verification_code}")
    check = client.get_json(f"/api/v1/certificates/{cert.verification_code}")
    assert check["valid"] is True and check["holder_name_masked"] == "张*例"


def test_nothing_to_certify_is_not_found(client: BackendClient) -> None:
    with pytest.raises(ServiceError) as err:
        SocialSecurityService(client).issue_certificate(NO_RECORDS)
    assert err.value.kind == "not_found"


def test_rating_is_submitted_and_score_checked_locally(client: BackendClient) -> None:
    ratings = RatingService(client)
    ratings.submit("SZ-FT-0001", "social_security.certificate", 5, ["办理快捷"])
    for bad in (0, 6, True, 4.5):
        with pytest.raises(ValueError):
            ratings.submit("SZ-FT-0001", "social_security.certificate", bad, [])


def test_backend_log_carries_no_personal_data(backend: tuple[str, Path]) -> None:
    url, folder = backend
    with BackendClient(url, auth=DEMO_AUTH) as c:
        SocialSecurityService(c).issue_certificate(EMPLOYEE)
    log = (folder / LOG_NAME).read_text()
    assert EMPLOYEE not in log and "张示例" not in log


# --- failures ------------------------------------------------------------------------------

def test_backend_down_is_unavailable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        port = s.getsockname()[1]
        with BackendClient(f"http://127.0.0.1:{port}", timeout=2.0) as c, \
                pytest.raises(ServiceError) as err:
            SocialSecurityService(c).insurance_status(EMPLOYEE)
    assert err.value.kind == "unavailable"


def test_unknown_host_is_unavailable() -> None:
    with BackendClient("http://backend.invalid", timeout=2.0) as c, \
            pytest.raises(ServiceError) as err:
        c.get_json("/api/v1/health")
    assert err.value.kind == "unavailable"


def test_silent_server_is_timeout() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(4)  # the kernel completes the handshake; nobody ever answers
        port = s.getsockname()[1]
        started = time.monotonic()
        with BackendClient(f"http://127.0.0.1:{port}", timeout=0.3) as c, \
                pytest.raises(ServiceError) as err:
            SocialSecurityService(c).insurance_status(EMPLOYEE)
    assert err.value.kind == "timeout"
    assert time.monotonic() - started < 3


def serving(status: int, body: bytes, content_type: str = "application/json"):
    """A tiny HTTP server answering every request with ``status`` and ``body``."""
    return stub_server(lambda _method: (status, body, content_type))


WRONG_SHAPE = '{"holder_name": "张示例", "insurances": [{"type": "pension", "months": "many"}]}'


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (200, b"<html>portal login</html>", "text/html"),
        (200, b"\xff\xfe not utf-8", "application/json"),
        (200, b'["a", "list"]', "application/json"),
        (200, WRONG_SHAPE.encode(), "application/json"),
        (200, b"{}", "application/json"),
        (500, b"Internal Server Error", "text/plain"),
        (503, b'{"error": "maintenance", "message": "back soon"}', "application/json"),
    ],
)
def test_garbage_is_bad_response(status: int, body: bytes, content_type: str) -> None:
    with serving(status, body, content_type) as url, BackendClient(url, timeout=2.0) as c:
        service = SocialSecurityService(c)
        for call in (service.insurance_status, service.issue_certificate):
            with pytest.raises(ServiceError) as err:
                call(EMPLOYEE)
            assert err.value.kind == "bad_response"
            assert EMPLOYEE not in str(err.value) and "张示例" not in str(err.value)
            assert err.value.__cause__ is None or "张示例" not in str(err.value.__cause__)


def test_other_4xx_is_rejected() -> None:
    with serving(403, b'{"error": "forbidden", "message": "terminal not enrolled"}') as url, \
            BackendClient(url, timeout=2.0) as c, pytest.raises(ServiceError) as err:
        RatingService(c).submit("SZ-FT-0001", "social_security.certificate", 4, [])
    assert (err.value.kind, err.value.status) == ("rejected", 403)
    assert "(forbidden)" in err.value.message


# -- a misbehaving department, on the real back end -----------------------------------

def set_fault(url: str, mode: str, seconds: float = 3.0) -> None:
    body = {"department": "social-security", "mode": mode, "seconds": seconds}
    httpx.post(f"{url}/api/v1/_demo/faults", json=body, timeout=5).raise_for_status()


@pytest.mark.parametrize(
    ("mode", "timeout", "kind"),
    [("down", 5.0, "bad_response"), ("garbage", 5.0, "bad_response"), ("slow", 0.3, "timeout")],
)
def test_a_misbehaving_department_gives_a_clear_error(
    backend: tuple[str, Path], mode: str, timeout: float, kind: str
) -> None:
    url, _folder = backend
    set_fault(url, mode, seconds=2.0)
    try:
        with BackendClient(url, timeout=timeout, auth=DEMO_AUTH) as c:
            with pytest.raises(ServiceError) as err:
                SocialSecurityService(c).insurance_status(EMPLOYEE)
            assert err.value.kind == kind
            assert EMPLOYEE not in str(err.value)
            # Other departments are untouched by this one's trouble.
            assert c.get_json("/api/v1/health") == {"status": "ok"}
    finally:
        set_fault(url, "none")
