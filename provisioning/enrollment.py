"""The terminal's MQTT login and TLS client material, enrolled with the fleet console.

The private key is made here and never leaves the machine: only a certificate signing
request goes to the console (``POST {console}/api/enroll``, fleet/enroll.py), with the
one-time token the console's operator issued for this terminal id. The answer (broker
login, command key, the fleet CA and the signed certificate) is kept in
/etc/kiosk/enrollment.json (root only) and /etc/kiosk/tls/.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from provisioning.files import Dir, File, Root, check_items

TLS_DIR = "/etc/kiosk/tls"
KEY = f"{TLS_DIR}/client.key"
CERT = f"{TLS_DIR}/client.crt"
CA = f"{TLS_DIR}/ca.crt"
RECORD = "/etc/kiosk/enrollment.json"
AGENT = "kiosk-agent"
# /etc/kiosk: the UI (group kiosk) and the agent (in group kiosk by its unit) read it.
DIRS = (Dir("/etc/kiosk", 0o750, "root", "kiosk"), Dir(TLS_DIR))


@dataclass(frozen=True)
class Request:
    terminal_id: str
    site: str
    broker: str  # host:port
    console: str  # the console's base URL
    token_file: Path | None = None
    console_ca: Path | None = None  # verifies an https console; None: the system's CAs


def _key_item(root: Root) -> File:
    return File(KEY, (root / KEY).read_bytes() if (root / KEY).is_file() else b"",
                0o600, AGENT, AGENT)


def key_check(root: Root) -> list[str]:
    if not (root / KEY).is_file():
        return [f"{root / KEY}: missing (the terminal's own private key)"]
    try:
        serialization.load_pem_private_key((root / KEY).read_bytes(), password=None)
    except ValueError:
        return [f"{root / KEY}: not a readable private key"]
    return check_items(root, [*DIRS, _key_item(root)])


def key_apply(root: Root) -> None:
    for folder in DIRS:
        folder.apply(root)
    if key_check(root) and not _readable_key(root):
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        File(KEY, pem, 0o600, AGENT, AGENT).apply(root)
    else:
        _key_item(root).apply(root)  # the key is fine; its owner or mode was not


def _readable_key(root: Root) -> bool:
    try:
        serialization.load_pem_private_key((root / KEY).read_bytes(), password=None)
        return True
    except (OSError, ValueError):
        return False


def read_record(root: Root) -> dict[str, str] | None:
    try:
        return json.loads((root / RECORD).read_text())
    except (OSError, ValueError):
        return None


def enroll_check(root: Root, req: Request) -> list[str]:
    record = read_record(root)
    if record is None:
        return [f"{root / RECORD}: missing (not enrolled with the console yet)"]
    diffs = [f"{root / RECORD}: {field} is {record.get(field)!r}, want {want!r}"
             for field, want in (("terminal_id", req.terminal_id), ("site", req.site),
                                 ("broker", req.broker), ("console", req.console))
             if record.get(field) != want]
    try:
        cert = x509.load_pem_x509_certificate((root / CERT).read_bytes())
        key = serialization.load_pem_private_key((root / KEY).read_bytes(), password=None)
        if cert.public_key() != key.public_key():
            diffs.append(f"{root / CERT}: does not belong to {root / KEY}")
    except (OSError, ValueError):
        diffs.append(f"{root / CERT}: missing or unreadable (with its key)")
    return diffs + check_items(root, _record_items(record, (root / RECORD).read_bytes()))


def _record_items(record: dict[str, str], text: bytes) -> list[Dir | File]:
    return [File(RECORD, text, 0o600),
            File(CERT, record.get("certificate", "").encode(), 0o644),
            File(CA, record.get("ca", "").encode(), 0o644)]


def _csr(root: Root, terminal_id: str) -> str:
    key = serialization.load_pem_private_key((root / KEY).read_bytes(), password=None)
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, terminal_id)]))
           .sign(key, hashes.SHA256()))  # type: ignore[arg-type]
    return csr.public_bytes(serialization.Encoding.PEM).decode()


def enroll_apply(root: Root, req: Request) -> None:
    record = read_record(root)
    if record is None or _needs_console(root, record, req):
        record = _ask_console(root, req)
    text = (json.dumps(record, indent=2) + "\n").encode()
    for item in _record_items(record, text):
        item.apply(root)


def _needs_console(root: Root, record: dict[str, str], req: Request) -> bool:
    """A new identity, or a key the recorded certificate does not belong to."""
    want = (req.terminal_id, req.site, req.broker, req.console)
    if tuple(record.get(f) for f in ("terminal_id", "site", "broker", "console")) != want:
        return True
    try:
        cert = x509.load_pem_x509_certificate(record["certificate"].encode())
        key = serialization.load_pem_private_key((root / KEY).read_bytes(), password=None)
    except (KeyError, OSError, ValueError):
        return True
    return cert.public_key() != key.public_key()


def _ask_console(root: Root, req: Request) -> dict[str, str]:
    if req.token_file is None:
        raise RuntimeError("enrolling needs the one-time token the console issued for this "
                           f"terminal: on the console run `python -m fleet.enroll token DIR "
                           f"{req.terminal_id}`, save it in a file and pass --token-file FILE")
    token = req.token_file.read_text().strip()
    body = {"terminal_id": req.terminal_id, "site": req.site, "csr": _csr(root, req.terminal_id)}
    verify: str | bool = str(req.console_ca) if req.console_ca else True
    url = req.console.rstrip("/") + "/api/enroll"
    try:
        resp = httpx.post(url, json=body, headers={"Authorization": f"Bearer {token}"},
                          timeout=30, verify=verify)
    except httpx.HTTPError as exc:
        raise RuntimeError(f"console {url} not reachable: {exc}") from None
    if resp.status_code != 200:
        raise RuntimeError(f"console {url} refused the enrollment: HTTP {resp.status_code} "
                           f"{resp.text[:200]}")
    answer = resp.json()
    if answer.get("username") != req.terminal_id:
        # the broker's ACL keys on the login: any other name would publish as someone else
        raise RuntimeError(f"console {url} answered a login for {answer.get('username')!r}")
    cert = x509.load_pem_x509_certificate(answer["certificate"].encode())
    key = serialization.load_pem_private_key((root / KEY).read_bytes(), password=None)
    if cert.public_key() != key.public_key():
        raise RuntimeError(f"console {url} sent a certificate for another key")
    return {"terminal_id": req.terminal_id, "site": req.site, "broker": req.broker,
            "console": req.console, "username": answer["username"],
            "password": answer["password"], "command_key": answer["command_key"],
            "ca": answer["ca"], "certificate": answer["certificate"]}
