"""Signing material made with openssl, as a release manager would: a release CA, a
signing certificate it issued, and a stranger's CA whose signatures must be refused."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Signer:
    key: Path
    cert: Path
    ca: Path  # what a terminal trusts


def _openssl(*argv: str) -> None:
    subprocess.run(["openssl", *argv], check=True, capture_output=True)


def make_signer(folder: Path, name: str) -> Signer:
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca = folder / f"{name}-ca.key", folder / f"{name}-ca.pem"
    key, csr, cert = folder / f"{name}.key", folder / f"{name}.csr", folder / f"{name}.pem"
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", str(ca_key), "-out", str(ca), "-days", "30", "-subj",
             f"/CN={name} release CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign")
    _openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", str(key), "-out", str(csr), "-subj", f"/CN={name} release signing")
    ext = folder / f"{name}.ext"
    ext.write_text("keyUsage=critical,digitalSignature\n")
    _openssl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key),
             "-CAcreateserial", "-out", str(cert), "-days", "30", "-extfile", str(ext))
    return Signer(key, cert, ca)


@pytest.fixture(scope="session")
def signer(tmp_path_factory) -> Signer:
    return make_signer(tmp_path_factory.mktemp("release-ca"), "project")


@pytest.fixture(scope="session")
def stranger(tmp_path_factory) -> Signer:
    return make_signer(tmp_path_factory.mktemp("stranger-ca"), "stranger")
