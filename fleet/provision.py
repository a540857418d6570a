"""``python -m fleet.provision``: a fleet's broker credentials, certificates and keys.

    python -m fleet.provision init DIR [--port 8883] [--host mqtt.example.gov.cn]
        a CA, the broker's certificate, the fleet command key, the console's login,
        and DIR/mosquitto.conf (from fleet/broker/mosquitto.conf.in and the ACL)
    python -m fleet.provision terminal DIR TERMINAL_ID
        a password for the terminal and its command key; prints its kiosk.toml lines

Everything secret stays in DIR (mode 0600); the project ships none of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from common.command_signing import terminal_key

HERE = Path(__file__).resolve().parent / "broker"


def _write_secret(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(0o600)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_certs(folder: Path, hosts: list[str]) -> None:
    """A throwaway CA and a broker certificate for ``hosts`` (names or IP addresses)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("kiosk fleet CA"))
          .issuer_name(_name("kiosk fleet CA")).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(hours=1))
          .not_valid_after(now + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    alt = []
    for host in hosts:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            alt.append(x509.DNSName(host))
    cert = (x509.CertificateBuilder().subject_name(_name(hosts[0]))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=825))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    plain = serialization.NoEncryption()
    fmt = serialization.PrivateFormat.PKCS8
    (folder / "ca.crt").write_bytes(ca.public_bytes(pem))
    _write_secret(folder / "ca.key", ca_key.private_bytes(pem, fmt, plain))
    (folder / "broker.crt").write_bytes(cert.public_bytes(pem))
    _write_secret(folder / "broker.key", key.private_bytes(pem, fmt, plain))


def add_user(folder: Path, username: str, password: str) -> None:
    """Add or replace a broker login (mosquitto_passwd hashes it)."""
    exe = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"
    passwd = folder / "passwd"
    if not passwd.exists():
        _write_secret(passwd, b"")
    subprocess.run([exe, "-b", str(passwd), username, password], check=True,
                   capture_output=True)


def write_conf(folder: Path, port: int, bind: str = "0.0.0.0") -> Path:
    template = (HERE / "mosquitto.conf.in").read_text()
    conf = folder / "mosquitto.conf"
    conf.write_text(template.format(dir=folder, acl=HERE / "acl", port=port, bind=bind))
    return conf


def init(folder: Path, port: int, hosts: list[str], bind: str = "0.0.0.0") -> dict[str, str]:
    """A fresh fleet in ``folder``; returns the console's password and the fleet key file."""
    folder.mkdir(parents=True, exist_ok=True)
    make_certs(folder, hosts)
    _write_secret(folder / "fleet.key", secrets.token_hex(32).encode())
    console_password = secrets.token_urlsafe(18)
    add_user(folder, "console", console_password)
    _write_secret(folder / "console.password", console_password.encode())
    write_conf(folder, port, bind)
    return {"console_password": console_password, "fleet_key": str(folder / "fleet.key")}


def fleet_key(folder: Path) -> bytes:
    return bytes.fromhex((folder / "fleet.key").read_text().strip())


def add_terminal(folder: Path, terminal: str) -> dict[str, str]:
    """Credentials for one terminal: broker password and its own command key."""
    password = secrets.token_urlsafe(18)
    add_user(folder, terminal, password)
    return {"username": terminal, "password": password,
            "command_key": terminal_key(fleet_key(folder), terminal).hex()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fleet.provision", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    p_init = sub.add_parser("init")
    p_init.add_argument("dir", type=Path)
    p_init.add_argument("--port", type=int, default=8883)
    p_init.add_argument("--host", action="append", default=None)
    p_term = sub.add_parser("terminal")
    p_term.add_argument("dir", type=Path)
    p_term.add_argument("terminal")
    args = parser.parse_args(argv)
    old = os.umask(0o077)
    try:
        if args.what == "init":
            out = init(args.dir.resolve(), args.port, args.host or ["localhost", "127.0.0.1"])
            print(f"fleet in {args.dir}: mosquitto -c {args.dir / 'mosquitto.conf'}")
            print(f"console login: console / {out['console_password']}")
            return 0
        creds = add_terminal(args.dir.resolve(), args.terminal)
        print(f'[broker]\ntls = true\nca_file = "{args.dir.resolve() / "ca.crt"}"\n'
              f'username = "{creds["username"]}"\npassword = "{creds["password"]}"\n\n'
              f'[fleet]\ncommand_key = "{creds["command_key"]}"')
        return 0
    finally:
        os.umask(old)


if __name__ == "__main__":
    sys.exit(main())
