"""``python -m provisioning``: enroll a Debian 12 machine as a terminal, or check one.

    python -m provisioning enroll --terminal-id ID --site SITE --broker HOST:PORT \\
        --console URL --token-file FILE (--devices FILE | --device ROLE=VID:PID:SERIAL ...) \\
        [--root DIR] [--dry-run]
    python -m provisioning check [--root DIR]   (compares with what enroll recorded)

See provisioning/README.md for each step and what it writes.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from provisioning import plan
from provisioning.devices import DeviceError, complete, load_file, parse_option
from provisioning.enrollment import Request
from provisioning.files import Root
from provisioning.install import project_version
from provisioning.steps import Options, build, from_record

SOURCE = Path(__file__).resolve().parent.parent
ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m provisioning", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    check = sub.add_parser("check", help="what differs from the recorded plan")
    check.add_argument("--root", type=Path, default=Path("/"))
    check.add_argument("--source", type=Path, help="default: the release's copy")
    check.add_argument("--units", type=Path, help="default: SOURCE/systemd")
    for name in ("enroll",):
        p = sub.add_parser(name)
        p.add_argument("--terminal-id", required=True)
        p.add_argument("--site", required=True)
        p.add_argument("--broker", required=True, help="HOST:PORT of the fleet's MQTT broker")
        p.add_argument("--console", required=True, help="the console's base URL")
        p.add_argument("--root", type=Path, default=Path("/"))
        p.add_argument("--devices", type=Path, help="TOML file: [idcard] vendor product serial")
        p.add_argument("--device", action="append", default=[],
                       help="ROLE=VENDOR:PRODUCT:SERIAL (idcard, printer, queue)")
        p.add_argument("--token-file", type=Path, help="the console's one-time token")
        p.add_argument("--console-ca", type=Path, help="CA file verifying an https console")
        p.add_argument("--source", type=Path, default=SOURCE, help="the project checkout")
        p.add_argument("--units", type=Path, help="unit files (default: SOURCE/systemd)")
        p.add_argument("--release", help="release version (default: pyproject's)")
        p.add_argument("--wheelhouse", type=Path,
                       help="install the app's dependencies from these wheels, not PyPI")
        p.add_argument("--display", default="1080x1920", help="panel WIDTHxHEIGHT")
        p.add_argument("--backend-url")
        p.add_argument("--backend-key")
        p.add_argument("--backend-secret-file", type=Path)
        p.add_argument("--nightly-restart", action="store_true",
                       help="enable kiosk-nightly-restart.timer")
        p.add_argument("--skip-packages", action="store_true",
                       help="FOR TESTS and images built with the packages: no apt-get step")
        p.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
    return parser


class UsageError(Exception):
    pass


def options(args: argparse.Namespace) -> Options:
    for label, value in (("--terminal-id", args.terminal_id), ("--site", args.site)):
        if not ID.match(value):
            raise UsageError(f"{label} {value!r}: letters, digits, - and _ only (max 64)")
    host, _, port = args.broker.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536 or " " in host:
        raise UsageError(f"--broker {args.broker!r}: want HOST:PORT")
    if not re.match(r"^https?://[^\s/]+", args.console):
        raise UsageError(f"--console {args.console!r}: want an http(s) URL")
    width, _, height = args.display.partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise UsageError(f"--display {args.display!r}: want WIDTHxHEIGHT")
    units = args.units or args.source / "systemd"
    if not (units / "kiosk-ui.service").is_file():
        raise UsageError(f"--units {units}: no kiosk-ui.service there (the systemd/ folder)")
    if args.token_file and not args.token_file.is_file():
        raise UsageError(f"--token-file {args.token_file}: no such file")
    devices = load_file(args.devices) if args.devices else {}
    devices.update(parse_option(text) for text in args.device)
    backend = {k: v for k, v in (("url", args.backend_url), ("app_key", args.backend_key))
               if v}
    if args.backend_secret_file:
        backend["app_secret"] = args.backend_secret_file.read_text().strip()
    return Options(
        root=Root(args.root), source=args.source,
        request=Request(args.terminal_id, args.site, args.broker, args.console,
                        args.token_file, args.console_ca),
        devices=complete(devices), units=units,
        version=args.release or project_version(args.source), wheelhouse=args.wheelhouse,
        skip_packages=args.skip_packages, nightly_restart=args.nightly_restart,
        display=(int(width), int(height)), backend=backend)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.what == "check":
            opts = from_record(Root(args.root), args.source, args.units)
        else:
            opts = options(args)
        steps = build(opts)
    except (UsageError, DeviceError, FileNotFoundError, ValueError) as exc:
        print(f"provisioning: {exc}", file=sys.stderr)
        return 2
    if opts.skip_packages:
        print("note: --skip-packages: the Debian packages step is left out (tests, images)")
    if args.what == "check":
        return plan.check(steps, sys.stdout)
    if not args.dry_run and not opts.root.is_host and os.geteuid() != 0:
        print("provisioning: writing a root needs root (owners are set)", file=sys.stderr)
        return 2
    return plan.run(steps, sys.stdout, dry_run=args.dry_run)


if __name__ == "__main__":
    sys.exit(main())
