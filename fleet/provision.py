"""``python -m fleet.provision``: a fleet's broker credentials, certificates and keys.

    python -m fleet.provision init DIR [--port 8883] [--console-port 8884]
                                       [--host mqtt.example.gov.cn]
        a CA, the broker's certificate, the fleet command key, the console's login,
        and DIR/broker/mosquitto.conf (from fleet/broker/mosquitto.conf.in, the ACLs)
    python -m fleet.provision terminal DIR TERMINAL_ID --site SITE
        a password for the terminal and its command key; records its site in the
        console's registry; prints its kiosk.toml lines

Three folders, for three places (everything secret mode 0600; the project ships none):
    DIR/ca/       the CA's key: keep it offline, it makes broker certificates
    DIR/broker/   what the broker host holds: its certificate and key, the password
                  files, the ACLs, mosquitto.conf. Never a key that signs commands.
    DIR/console/  what the console holds: the fleet (command) key, its broker
                  password, the terminal registry (terminals.json), the CA certificate
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

from common import contract as c
from common.command_signing import terminal_key
from fleet import registry

HERE = Path(__file__).resolve().parent / "broker"


def _write_secret(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(0o600)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def ca_dir(folder: Path) -> Path:
    return folder / "ca"


def broker_dir(folder: Path) -> Path:
    return folder / "broker"


def console_dir(folder: Path) -> Path:
    return folder / "console"


def registry_file(folder: Path) -> Path:
    return console_dir(folder) / "terminals.json"


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
    for where in (ca_dir(folder), broker_dir(folder), console_dir(folder)):
        (where / "ca.crt").write_bytes(ca.public_bytes(pem))
    _write_secret(ca_dir(folder) / "ca.key", ca_key.private_bytes(pem, fmt, plain))
    (broker_dir(folder) / "broker.crt").write_bytes(cert.public_bytes(pem))
    _write_secret(broker_dir(folder) / "broker.key", key.private_bytes(pem, fmt, plain))


def add_user(folder: Path, username: str, password: str, site: str | None = None) -> None:
    """Add or replace a terminal's broker login (mosquitto_passwd hashes it) and, with a
    site, record it in the console's registry."""
    if not c.valid_terminal_id(username):
        raise ValueError(f"terminal id {username!r} is not allowed: letters, digits, - and _ "
                         "(at most 32, starting with a letter or digit), and not a reserved "
                         f"name ({', '.join(sorted(c.RESERVED_IDS))})")
    _passwd(broker_dir(folder) / "passwd", username, password)
    if site is not None:
        registry.register(registry_file(folder), username, site)


def _passwd(passwd: Path, username: str, password: str) -> None:
    exe = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"
    if not passwd.exists():
        _write_secret(passwd, b"")
    subprocess.run([exe, "-b", str(passwd), username, password], check=True,
                   capture_output=True)


def write_conf(folder: Path, port: int, bind: str = "0.0.0.0", console_port: int | None = None,
               console_bind: str | None = None) -> Path:
    where = broker_dir(folder)
    for acl in ("acl", "acl.console"):
        shutil.copyfile(HERE / acl, where / acl)
    template = (HERE / "mosquitto.conf.in").read_text()
    conf = where / "mosquitto.conf"
    conf.write_text(template.format(dir=where, port=port, bind=bind,
                                    console_port=console_port or port + 1,
                                    console_bind=console_bind or bind))
    return conf


def init(folder: Path, port: int, hosts: list[str], bind: str = "0.0.0.0",
         console_port: int | None = None, console_bind: str | None = None) -> dict[str, str]:
    """A fresh fleet in ``folder``; returns the console's password and the fleet key file."""
    for where in (ca_dir(folder), broker_dir(folder), console_dir(folder)):
        where.mkdir(parents=True, exist_ok=True)
    make_certs(folder, hosts)
    key_file = console_dir(folder) / "fleet.key"
    _write_secret(key_file, secrets.token_hex(32).encode())
    console_password = secrets.token_urlsafe(18)
    _passwd(broker_dir(folder) / "console.passwd", "console", console_password)
    _write_secret(console_dir(folder) / "console.password", console_password.encode())
    if not (broker_dir(folder) / "passwd").exists():  # the terminals' logins, none yet
        _write_secret(broker_dir(folder) / "passwd", b"")
    if not registry_file(folder).exists():
        registry_file(folder).write_text('{"terminals": {}}')
    write_conf(folder, port, bind, console_port, console_bind)
    return {"console_password": console_password, "fleet_key": str(key_file)}


def fleet_key(folder: Path) -> bytes:
    return bytes.fromhex((console_dir(folder) / "fleet.key").read_text().strip())


def add_terminal(folder: Path, terminal: str, site: str) -> dict[str, str]:
    """Credentials for one terminal at ``site``: broker password and its own command key."""
    if not c.valid_site(site):
        raise ValueError(f"site {site!r} is not allowed: letters, digits, - and _ (at most 64)")
    password = secrets.token_urlsafe(18)
    add_user(folder, terminal, password, site)
    return {"username": terminal, "password": password,
            "command_key": terminal_key(fleet_key(folder), terminal).hex()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fleet.provision", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    p_init = sub.add_parser("init")
    p_init.add_argument("dir", type=Path)
    p_init.add_argument("--port", type=int, default=8883)
    p_init.add_argument("--console-port", type=int, default=8884)
    p_init.add_argument("--host", action="append", default=None)
    p_term = sub.add_parser("terminal")
    p_term.add_argument("dir", type=Path)
    p_term.add_argument("terminal")
    p_term.add_argument("--site", required=True, help="where it stands (kiosk.toml terminal.site)")
    args = parser.parse_args(argv)
    old = os.umask(0o077)
    try:
        if args.what == "init":
            folder = args.dir.resolve()
            out = init(folder, args.port, args.host or ["localhost", "127.0.0.1"],
                       console_port=args.console_port)
            print(f"fleet in {args.dir}: mosquitto -c {broker_dir(folder) / 'mosquitto.conf'}")
            print(f"console login: console / {out['console_password']}")
            print(f"keep {ca_dir(folder)} offline; copy only {broker_dir(folder)} to the broker")
            return 0
        try:
            creds = add_terminal(args.dir.resolve(), args.terminal, args.site)
        except ValueError as exc:
            print(f"fleet.provision: {exc}", file=sys.stderr)
            return 2
        print(f'[terminal]\nid = "{args.terminal}"\nsite = "{args.site}"\n\n'
              f'[broker]\ntls = true\nca_file = "{console_dir(args.dir.resolve()) / "ca.crt"}"\n'
              f'username = "{creds["username"]}"\npassword = "{creds["password"]}"\n\n'
              f'[fleet]\ncommand_key = "{creds["command_key"]}"')
        return 0
    finally:
        os.umask(old)


if __name__ == "__main__":
    sys.exit(main())
