"""``python -m fleet``: the fleet console (MQTT ingest + web), and its user admin.

    python -m fleet --db sqlite:///var/fleet/console.sqlite --mqtt-port 8883 \\
        --ca-file DIR/console/ca.crt --mqtt-user console \\
        --mqtt-password-file DIR/console/console.password \\
        --fleet-key-file DIR/console/fleet.key --registry DIR/console/terminals.json \\
        --http-port 8080
    python -m fleet users add NAME --role operator     (password from $FLEET_PASSWORD or asked)
    python -m fleet users passwd NAME                  (a new password: ends NAME's sessions)
    python -m fleet users role NAME --role viewer      (a new role: ends NAME's sessions)
    python -m fleet users logout NAME                  (ends every session of NAME)
    python -m fleet users remove NAME

Over TLS: --tls-cert FILE --tls-key FILE (PEM); the login cookie is then marked Secure.

Start several with the same --db and --group and different --client-id: they split
the stream (MQTT 5 shared subscription) and serve the same pages.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import logging
import os
import secrets
import sys
from pathlib import Path

DEFAULT_DB = "sqlite:///var/fleet/console.sqlite"


def _read(path: str | None) -> str:
    return Path(path).read_text().strip() if path else ""


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from fleet.commands import CommandSender
    from fleet.ingest import BrokerSettings, Ingest
    from fleet.models import make_engine
    from fleet.sessions import SessionStore
    from fleet.throttle import LoginThrottle
    from fleet.web.app import WebContext, create_app

    engine = make_engine(args.db)
    broker = BrokerSettings(
        host=args.mqtt_host, port=args.mqtt_port, username=args.mqtt_user,
        password=_read(args.mqtt_password_file), ca_file=args.ca_file, group=args.group,
        client_id=args.client_id,
    )
    if args.registry is None:
        logging.getLogger("fleet").warning(
            "no --registry: a terminal's site is the first one it reports (use the "
            "terminals.json that `python -m fleet.provision terminal` writes)")
    ingest = Ingest(broker, args.db, args.registry)
    key_hex = _read(args.fleet_key_file)
    fleet_key = bytes.fromhex(key_hex) if key_hex else None
    # Every console process with the same fleet key accepts the same device cookie.
    secret = (hmac.new(fleet_key, b"console-device-cookie", hashlib.sha256).digest()
              if fleet_key else secrets.token_bytes(32))
    sender = (CommandSender(engine, ingest.publish, fleet_key, offline_after=args.offline_after)
              if fleet_key else None)

    def counters() -> dict:
        return {"client_id": ingest.client_id, "subscribed": ingest.subscribed.is_set(),
                "received": ingest.received,
                "stored": ingest.stored, **ingest.counts}

    sessions = SessionStore(engine, idle_s=args.session_idle, max_s=args.session_max)
    throttle = LoginThrottle(engine, secret, lock_s=args.login_lockout)
    app = create_app(WebContext(engine, sessions, throttle, sender, args.offline_after,
                                counters, command_timeout=args.command_timeout))
    tls = {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key} if args.tls_cert else {}
    ingest.start()
    scheme = "https" if tls else "http"
    print(f"fleet console: {scheme}://{args.http_host}:{args.http_port}/ "
          f"(broker {broker.host}:{broker.port}, db {engine.url.render_as_string()})", flush=True)
    try:
        # Open live streams (browsers) must not hold a stop up for long.
        # proxy_headers off: X-Forwarded-For from a client must not pick the address
        # that login throttling counts.
        uvicorn.run(app, host=args.http_host, port=args.http_port, log_level="warning",
                    timeout_graceful_shutdown=3, proxy_headers=False, **tls)
    finally:
        ingest.stop()
    return 0


def users(args: argparse.Namespace) -> int:
    from fleet import auth
    from fleet.models import make_engine

    engine = make_engine(args.db)

    def password() -> str:
        return os.environ.get("FLEET_PASSWORD") or getpass.getpass(f"password for {args.name}: ")

    try:
        if args.action == "add":
            auth.add_user(engine, args.name, password(), args.role or "viewer")
        elif args.action == "passwd":
            auth.set_password(engine, args.name, password())
        elif args.action == "role":
            if not args.role:
                raise ValueError("give the new role: --role viewer|operator")
            auth.set_role(engine, args.name, args.role)
        elif args.action == "logout":
            auth.end_sessions(engine, args.name)
        else:
            auth.remove_user(engine, args.name)
    except (LookupError, ValueError) as exc:
        print(f"fleet: {exc}", file=sys.stderr)
        return 2
    print(f"fleet: user {args.name}: {args.action} done; its sessions are ended")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fleet", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("FLEET_DB", DEFAULT_DB),
                        help="SQLAlchemy URL: sqlite:///FILE or postgresql://user@host/db")
    sub = parser.add_subparsers(dest="what")
    p_users = sub.add_parser("users", help="add, change or remove a staff login")
    p_users.add_argument("action", choices=["add", "passwd", "role", "logout", "remove"])
    p_users.add_argument("name")
    p_users.add_argument("--role", choices=["viewer", "operator"],
                         help="for add (default viewer) and role")
    parser.add_argument("--mqtt-host", default="127.0.0.1")
    parser.add_argument("--mqtt-port", type=int, default=1883)
    parser.add_argument("--mqtt-user", default="")
    parser.add_argument("--mqtt-password-file")
    parser.add_argument("--ca-file", type=Path, help="the fleet CA: connect with TLS")
    parser.add_argument("--fleet-key-file", help="signs commands; without it, commands are off")
    parser.add_argument("--registry", type=Path,
                        help="the provisioned terminals and their sites (terminals.json)")
    parser.add_argument("--group", default="fleet", help="shared-subscription group ('' = none)")
    parser.add_argument("--client-id", default="fleet-console-1")
    parser.add_argument("--http-host", default="127.0.0.1")
    parser.add_argument("--http-port", type=int, default=8080)
    parser.add_argument("--offline-after", type=float, default=900,
                        help="seconds of silence before a terminal turns grey")
    parser.add_argument("--command-timeout", type=float, default=60,
                        help="seconds a command waits for its answer before it shows "
                             "'no answer' (a later answer is still recorded)")
    parser.add_argument("--tls-cert", help="PEM certificate: serve the console over HTTPS")
    parser.add_argument("--tls-key", help="the certificate's PEM private key")
    parser.add_argument("--session-idle", type=float, default=3600,
                        help="seconds without a request after which a login ends")
    parser.add_argument("--session-max", type=float, default=12 * 3600,
                        help="seconds after which a login ends, used or not")
    parser.add_argument("--login-lockout", type=float, default=900,
                        help="seconds a user name or address is locked after too many "
                             "failed logins")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.db.startswith("sqlite:///"):
        Path(args.db.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return users(args) if args.what == "users" else run(args)


if __name__ == "__main__":
    sys.exit(main())
