"""Issuing and looking up verifiable certificates, for every department.

A verification code is printed on the certificate and encoded in its QR code; anyone holding
the paper can check it against the back end, so codes must be unique and not guessable:
40 random bits per code, on top of the issuing date.
"""

from __future__ import annotations

import base64
import json
import secrets
import sqlite3
from urllib.parse import urlencode

from backend.models import CertificateOut, mask_id_number, mask_name
from backend.settings import CHINA_TZ, Settings


def new_code(prefix: str, day: str) -> str:
    """E.g. "SB20261122K7F3QX9A": prefix, YYYYMMDD, 8 base32 characters (no 0/1 to misread)."""
    return f"{prefix}{day}{base64.b32encode(secrets.token_bytes(5)).decode()}"


def issue(
    conn: sqlite3.Connection,
    settings: Settings,
    *,
    kind: str,
    prefix: str,
    title: str,
    issuer: str,
    holder_name: str,
    id_number: str,
    rows: list[tuple[str, str]],
) -> CertificateOut:
    """Build a certificate with a fresh verification code and store it (caller commits)."""
    now = settings.clock().astimezone(CHINA_TZ)
    for _ in range(5):  # 2^40 codes a day: a clash is rare, but cheap to retry
        code = new_code(prefix, now.strftime("%Y%m%d"))
        cert = CertificateOut(
            title=title,
            holder_name=holder_name,
            id_number_masked=mask_id_number(id_number),
            rows=rows,
            verification_code=code,
            verify_url=f"{settings.verify_base}?{urlencode({'code': code})}",
            issued_at=now.strftime("%Y-%m-%d %H:%M"),
            issuer=issuer,
        )
        try:
            conn.execute(
                "INSERT INTO certificates VALUES (?, ?, ?, ?, ?)",
                (code, kind, cert.issued_at, mask_name(holder_name), cert.model_dump_json()),
            )
        except sqlite3.IntegrityError:
            continue
        return cert
    raise RuntimeError("could not allocate a unique verification code")


def lookup(conn: sqlite3.Connection, code: str) -> dict | None:
    """The stored facts about a code (kind, issued_at, holder_masked, body), or None."""
    row = conn.execute(
        "SELECT kind, issued_at, holder_masked, body FROM certificates"
        " WHERE verification_code = ?",
        (code.strip().upper(),),
    ).fetchone()
    if row is None:
        return None
    return {**dict(row), "body": json.loads(row["body"])}
