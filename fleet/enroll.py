"""``python -m fleet.enroll``: the console's enrollment endpoint for new terminals.

    python -m fleet.enroll token DIR TERMINAL_ID [--hours 24]
        a one-time token for one terminal id (only its hash is kept, in DIR/enroll/)
    python -m fleet.enroll serve DIR [--host 127.0.0.1] [--port 8443] [--ca-key FILE]
        serves POST /api/enroll (put it behind the console's HTTPS); it signs with the
        fleet CA's key (default: where fleet/provision.py keeps it) or --ca-key, e.g. a
        CA for terminal certificates only, when the fleet CA's key is kept offline

``POST /api/enroll`` with ``Authorization: Bearer TOKEN`` and JSON
``{"terminal_id", "site", "csr"}`` (a PEM CSR whose CN is the terminal id) answers
``{"username", "password", "command_key", "ca", "certificate"}``: the broker login and
command key from fleet/provision.py's ``add_terminal``, and the CSR signed by the fleet
CA as a client certificate. The terminal's private key never leaves it. A token works
once, for its terminal id only, until it expires.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pydantic import BaseModel, ConfigDict, Field

from fleet import provision

TERMINAL_ID = r"^[A-Za-z0-9_-]{1,64}$"


class EnrollRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terminal_id: str = Field(pattern=TERMINAL_ID)
    site: str = Field(pattern=TERMINAL_ID)
    csr: str = Field(max_length=8192)


class EnrollRefused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def ca_files(folder: Path) -> tuple[Path, Path]:
    """The fleet CA's certificate and key, where fleet/provision.py keeps them."""
    where = provision.ca_dir(folder)
    return where / "ca.crt", where / "ca.key"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(folder: Path, terminal_id: str, hours: float = 24) -> str:
    EnrollRequest(terminal_id=terminal_id, site="x", csr="")  # the same id rule as enrolling
    tokens = folder / "enroll"
    tokens.mkdir(mode=0o700, exist_ok=True)
    token = secrets.token_urlsafe(24)
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()
    path = tokens / f"{terminal_id}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"sha256": _digest(token), "expires": expires}, handle)
    return token


def _claim(folder: Path, terminal_id: str, token: str) -> Path:
    """Take the terminal's token (a rename: of two enrollments with it only one wins)."""
    path = folder / "enroll" / f"{terminal_id}.json"
    claimed = path.with_suffix(".claimed")
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        raise EnrollRefused(401, "no enrollment token for this terminal id") from None
    stored = json.loads(claimed.read_text())
    fresh = dt.datetime.fromisoformat(stored["expires"]) > dt.datetime.now(dt.UTC)
    if not hmac.compare_digest(stored["sha256"], _digest(token)) or not fresh:
        os.rename(claimed, path)  # a wrong guess does not spend the real token
        raise EnrollRefused(401, "enrollment token wrong or expired")
    return claimed


def _sign(folder: Path, ca_key_file: Path, req: EnrollRequest) -> tuple[str, str]:
    try:
        csr = x509.load_pem_x509_csr(req.csr.encode())
    except ValueError:
        raise EnrollRefused(400, "csr is not a PEM certificate signing request") from None
    names = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not csr.is_signature_valid or [n.value for n in names] != [req.terminal_id]:
        raise EnrollRefused(400, "csr must be signed and name only the terminal id (CN)")
    key = csr.public_key()
    if not ((isinstance(key, ec.EllipticCurvePublicKey) and key.curve.key_size >= 256)
            or (isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048)):
        raise EnrollRefused(400, "csr key must be EC P-256 or larger, or RSA 2048 or larger")
    ca = x509.load_pem_x509_certificate(ca_files(folder)[0].read_bytes())
    ca_key = serialization.load_pem_private_key(ca_key_file.read_bytes(), password=None)
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, req.terminal_id)]))
            .issuer_name(ca.subject).public_key(key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))  # type: ignore[arg-type]
    pem = serialization.Encoding.PEM
    return cert.public_bytes(pem).decode(), ca.public_bytes(pem).decode()


def enroll(folder: Path, ca_key_file: Path, req: EnrollRequest, token: str) -> dict[str, str]:
    claimed = _claim(folder, req.terminal_id, token)
    try:
        certificate, ca = _sign(folder, ca_key_file, req)
        login = provision.add_terminal(folder, req.terminal_id, req.site)
    except Exception as exc:
        os.rename(claimed, claimed.with_suffix(".json"))  # nothing issued: token still good
        if isinstance(exc, ValueError):  # provision refused the id or the site
            raise EnrollRefused(400, str(exc)) from None
        raise
    claimed.unlink()
    return {**login, "ca": ca, "certificate": certificate}


def create_app(folder: Path, ca_key_file: Path | None = None):  # -> fastapi.FastAPI
    from fastapi import FastAPI, Header, HTTPException

    app = FastAPI(title="kiosk fleet enrollment")
    ca_key = ca_key_file or ca_files(folder)[1]

    @app.post("/api/enroll")
    def _enroll(req: EnrollRequest, authorization: str = Header("")) -> dict[str, str]:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "Authorization: Bearer TOKEN required")
        try:
            return enroll(folder, ca_key, req, token)
        except EnrollRefused as exc:
            raise HTTPException(exc.status, str(exc)) from None

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fleet.enroll", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    p_token = sub.add_parser("token")
    p_token.add_argument("dir", type=Path)
    p_token.add_argument("terminal")
    p_token.add_argument("--hours", type=float, default=24)
    p_serve = sub.add_parser("serve")
    p_serve.add_argument("dir", type=Path)
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8443)
    p_serve.add_argument("--ca-key", type=Path, default=None)
    args = parser.parse_args(argv)
    folder = args.dir.resolve()
    if args.what == "token":
        try:
            print(issue_token(folder, args.terminal, args.hours))
        except ValueError:
            print(f"refused: {args.terminal!r} is not a terminal id (letters, digits, - _)",
                  file=sys.stderr)
            return 2
        return 0
    import uvicorn

    old = os.umask(0o077)  # the broker's passwd file it adds logins to stays private
    try:
        uvicorn.run(create_app(folder, args.ca_key), host=args.host, port=args.port,
                    log_level="warning")
    finally:
        os.umask(old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
