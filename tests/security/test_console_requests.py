"""Attacks on the console's requests, over real HTTP (and HTTPS) to a real console:
open redirects through Referer, forged cross-origin POSTs, a non-ASCII cookie, cookie
flags, screenshots that are not PNGs, and request bodies of any size."""

from __future__ import annotations

import datetime
import socket
import time
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import insert, select

from fleet.models import Alarm, Screenshot, Terminal
from tests.helpers.console_attack import console_target
from tests.helpers.flood import MiB, flood, memory_kib, status_of

USERS = {"op": ("op-pass", "operator"), "view": ("view-pass", "viewer")}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    with console_target(tmp_path_factory.mktemp("console-requests"), USERS) as t:
        with t.engine.begin() as conn:
            for tid in ("T-PNG", "T-HTML"):
                conn.execute(insert(Terminal).values(id=tid, site="S", online=True,
                                                     last_seen=time.time(), updated=time.time()))
            conn.execute(insert(Screenshot).values(terminal="T-PNG", ts=1, png=PNG))
            conn.execute(insert(Screenshot).values(  # bad data that got into the store
                terminal="T-HTML", ts=1, png=b"<html><script>alert(1)</script></html>"))
        yield t


def _operator(target):
    client = target.client()
    assert target.login("op", "op-pass", client=client).headers["location"] == "/"
    return client


def _alarm(target) -> int:
    with target.engine.begin() as conn:
        return conn.execute(insert(Alarm).values(
            terminal="T-PNG", site="S", key="printer", severity="red", raised_at=time.time(),
            updated=time.time())).inserted_primary_key[0]


@pytest.mark.parametrize("referer", [
    "https://evil.example/phish", "//evil.example/phish", "http://127.0.0.1//evil.example/x",
    "/\\evil.example", "https://evil.example"])
def test_console_redirects_only_to_its_own_pages(target, referer):
    op = _operator(target)
    for r in (op.get("/lang/en", headers={"Referer": referer}),
              op.post(f"/alarms/{_alarm(target)}/ack", headers={"Referer": referer})):
        where = r.headers["location"]
        assert r.status_code == 303 and where.startswith("/") and not where.startswith("//")
        assert "\\" not in where and not urlsplit(where).netloc, where
    # A page of the console's own still sends the browser back to it.
    r = op.get("/lang/zh", headers={"Referer": f"{target.url}/alarms?all=1"})
    assert r.headers["location"] == "/alarms?all=1"


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"}, {"Origin": "null"},
    {"Origin": None, "Referer": "https://evil.example/form.html"}, {"Origin": None}],
    ids=["other-origin", "null-origin", "other-referer", "neither"])
def test_console_refuses_cross_origin_posts(target, headers):
    op = _operator(target)
    alarm = _alarm(target)
    for name, value in headers.items():
        if value is None:
            op.headers.pop(name, None)
        else:
            op.headers[name] = value
    assert op.post(f"/alarms/{alarm}/ack").status_code == 403
    assert op.post("/t/T-PNG/cmd", data={"cmd": "out_of_service"}).status_code == 403
    assert target.client(origin=False).post(
        "/login", data={"name": "op", "password": "op-pass"},
        headers={k: v for k, v in headers.items() if v is not None}).status_code == 403
    with target.engine.connect() as conn:
        assert conn.execute(select(Alarm.acked_by).where(Alarm.id == alarm)).scalar() is None


def test_console_survives_a_non_ascii_cookie(target):
    host, port = urlsplit(target.url).hostname, urlsplit(target.url).port
    for cookie in ("fleet_session=é|operator|9999999999|é", "fleet_session=é中文",
                   "lang=中文; fleet_session=x\xff", "fleet_device=é.é"):
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nCookie: " + cookie.encode() +
                         b"\r\nConnection: close\r\n\r\n")
            answer = sock.recv(65536)
        assert status_of(answer) == 303, answer[:200]
    r = target.client().post("/login", data={"name": "op", "password": "op-pass"},
                             headers={"Cookie": "fleet_device=%C3%A9.%C3%A9; lang=%E4%B8%AD"})
    assert r.status_code == 303 and r.headers["location"] == "/"


def _cookie_flags(response) -> dict[str, str]:
    flags = {}
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        flags[name] = rest.lower()
    return flags


def test_console_cookies_are_httponly_and_strict(target):
    flags = _cookie_flags(target.login("op", "op-pass"))
    for name in ("fleet_session", "fleet_device"):
        assert "httponly" in flags[name] and "samesite=strict" in flags[name]
        assert "secure" not in flags[name]  # plain HTTP here: a Secure cookie would not come back


def _self_signed(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    (folder / "console.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "console.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return folder / "console.crt", folder / "console.key"


def test_console_over_tls_marks_its_cookies_secure(tmp_path):
    cert, key = _self_signed(tmp_path)
    with console_target(tmp_path, USERS, extra=("--tls-cert", str(cert),
                                                "--tls-key", str(key))) as tls:
        assert tls.url.startswith("https://")
        r = tls.login("op", "op-pass")
        assert r.status_code == 303 and r.headers["location"] == "/"
        flags = _cookie_flags(r)
        for name in ("fleet_session", "fleet_device"):
            assert "secure" in flags[name] and "httponly" in flags[name]
        assert "max-age" in r.headers["strict-transport-security"]


def test_console_serves_screenshots_only_as_png(target):
    viewer = target.client()
    target.login("view", "view-pass", client=viewer)
    r = viewer.get("/t/T-PNG/screenshot.png")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert r.headers["x-content-type-options"] == "nosniff"
    r = viewer.get("/t/T-HTML/screenshot.png")
    assert r.status_code == 404 and b"<script>" not in r.content


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_console_caps_request_bodies(target, chunked):
    parts = urlsplit(target.url)
    size = 200 * MiB
    head = (f"POST /login HTTP/1.1\r\nHost: {parts.netloc}\r\nOrigin: {target.url}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n" +
            ("Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"))
    pid = target.console.proc.pid
    before = memory_kib(pid)["VmHWM"]
    sent, answer = flood(parts.hostname, parts.port, head, size, chunked=chunked)
    grew = memory_kib(pid)["VmHWM"] - before
    assert status_of(answer) == 413, answer[:300]
    assert sent < 32 * MiB and grew < 32 * 1024, (sent / MiB, grew / 1024)
