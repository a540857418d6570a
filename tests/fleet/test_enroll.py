"""The console's enrollment endpoint: a one-time token per terminal id, a CSR in, a
client certificate and the broker login out; everything else refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient

from fleet import enroll, provision
from tests.provisioning.enrolling import passwd_of


def csr(cn: str, key=None) -> str:
    key = key or ec.generate_private_key(ec.SECP256R1())
    req = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
           .sign(key, hashes.SHA256()))
    return req.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    folder = tmp_path / "fleet"
    provision.init(folder, 8883, ["localhost"])
    return folder


def post(client: TestClient, token: str, **body: str):
    body = {"terminal_id": "SZFT-0001", "site": "futian-hall", "csr": csr("SZFT-0001"),
            **body}
    return client.post("/api/enroll", json=body, headers={"Authorization": f"Bearer {token}"})


def test_an_enrollment_signs_the_csr_and_makes_the_login(fleet: Path) -> None:
    client = TestClient(enroll.create_app(fleet))
    token = enroll.issue_token(fleet, "SZFT-0001")
    key = ec.generate_private_key(ec.SECP256R1())
    resp = post(client, token, csr=csr("SZFT-0001", key))
    assert resp.status_code == 200, resp.text
    answer = resp.json()
    cert = x509.load_pem_x509_certificate(answer["certificate"].encode())
    assert cert.public_key() == key.public_key()
    cert.verify_directly_issued_by(x509.load_pem_x509_certificate(answer["ca"].encode()))
    assert answer["username"] == "SZFT-0001" and "SZFT-0001:" in passwd_of(fleet)
    stored = (fleet / "enroll").iterdir()
    assert [p.name for p in stored] == []  # the token is spent
    assert token not in json.dumps(answer)


def test_a_token_works_once(fleet: Path) -> None:
    client = TestClient(enroll.create_app(fleet))
    token = enroll.issue_token(fleet, "SZFT-0001")
    assert post(client, token).status_code == 200
    assert post(client, token).status_code == 401


def test_a_token_is_for_its_terminal_only_and_a_wrong_guess_does_not_spend_it(fleet) -> None:
    client = TestClient(enroll.create_app(fleet))
    other = enroll.issue_token(fleet, "SZFT-0002")
    token = enroll.issue_token(fleet, "SZFT-0001")
    assert post(client, other).status_code == 401  # SZFT-0002's token for SZFT-0001
    assert post(client, "guess").status_code == 401
    assert post(client, "").status_code == 401
    assert "SZFT-0001:" not in passwd_of(fleet)
    assert post(client, token).status_code == 200


def test_an_expired_token_is_refused(fleet: Path) -> None:
    client = TestClient(enroll.create_app(fleet))
    token = enroll.issue_token(fleet, "SZFT-0001", hours=-1)
    assert post(client, token).status_code == 401


@pytest.mark.parametrize("body", [
    {"csr": csr("SZFT-0002")},  # a certificate in another terminal's name
    {"csr": "not a csr"},
    {"csr": csr("SZFT-0001", rsa.generate_private_key(65537, 1024))},  # weak key
])
def test_a_bad_csr_is_refused_and_the_token_stays_good(fleet: Path, body) -> None:
    client = TestClient(enroll.create_app(fleet))
    token = enroll.issue_token(fleet, "SZFT-0001")
    assert post(client, token, **body).status_code == 400
    assert post(client, token).status_code == 200


@pytest.mark.parametrize("terminal", ["SZFT/0001", "+", "#", "a" * 65, "", "x y"])
def test_a_terminal_id_that_could_break_the_topics_or_acl_is_refused(fleet, terminal) -> None:
    client = TestClient(enroll.create_app(fleet))
    assert post(client, "t", terminal_id=terminal).status_code == 422
    with pytest.raises(ValueError):
        enroll.issue_token(fleet, terminal)
