"""python -m updates build | verify | install | status | gate — the field CLI, the one
the health agent runs. A refused bundle or a failed step exits non-zero with one line."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from updates import bundle, gate, observe, outcome
from updates.install import install
from updates.layout import Layout
from updates.records import DamagedRecord, Outcome, Pending, dumps, load
from updates.release import build_bundle

DEFAULT_CERT = Path("/etc/kiosk/release-ca.pem")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m updates", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="a signed bundle of this checkout")
    b.add_argument("--version", required=True)
    b.add_argument("--key", type=Path, required=True, help="PEM private key (may hold the cert)")
    b.add_argument("--cert", type=Path, help="PEM signing certificate (default: in --key)")
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--source", type=Path, default=Path("."))
    b.add_argument("--wheels", type=Path, help="dependency wheels the release needs")
    v = sub.add_parser("verify", help="check a bundle's signature and members")
    v.add_argument("file", type=Path)
    v.add_argument("--cert", type=Path, default=DEFAULT_CERT, help="trusted CA certificate")
    i = sub.add_parser("install", help="install beside the running release and switch")
    i.add_argument("file", type=Path)
    i.add_argument("--cert", type=Path, default=DEFAULT_CERT)
    i.add_argument("--root", type=Path, default=Path("/"))
    i.add_argument("--deadline", type=float, default=600.0, help="seconds for the gate")
    i.add_argument("--no-restart", action="store_true", help="do not restart the UI unit")
    s = sub.add_parser("status", help="both slots, the pending record, the last outcome")
    s.add_argument("--root", type=Path, default=Path("/"))
    g = sub.add_parser("gate", help="recover what a cut left, then judge a pending release")
    g.add_argument("--root", type=Path, default=Path("/"))
    g.add_argument("--settle", type=float, default=30.0)
    return parser


def status(layout: Layout) -> dict:
    beat = observe.heartbeat(layout.root / observe.HEARTBEAT.lstrip("/"))
    releases = sorted(p.name for p in layout.releases.glob("*") if not p.name.startswith("."))
    return {
        "slots": {"current": layout.slot(layout.current),
                  "previous": layout.slot(layout.previous)},
        "booted": beat.version if beat else None,  # the release the running UI is from
        "releases": releases,
        "pending": dumps(load(layout.pending_file, Pending)),
        "last": dumps(load(layout.outcome_file, Outcome)),
    }


def _gate(layout: Layout, settle_s: float) -> Outcome | None:
    def journal() -> list[str]:
        pending = load(layout.pending_file, Pending)
        since = pending.switched_at if pending else time.time() - 600
        return observe.journal_excerpt(observe.UI_UNIT, since)
    restart = observe.restart_ui if layout.root == Path("/") else None
    done = outcome.recover(layout, time.time(), journal, restart)
    pending = load(layout.pending_file, Pending)
    if done is not None or pending is None:
        return done
    verdict = gate.run(pending, observe.system_observer(layout), settle_s)
    print(json.dumps({"verdict": verdict.decision, "reason": verdict.reason,
                      "checks": verdict.checks}), flush=True)
    if verdict.decision == "commit":
        return outcome.commit(layout, pending)
    return outcome.back_out(layout, pending, verdict.reason, journal(), restart)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            manifest = build_bundle(args.source, args.version, args.key, args.cert, args.out,
                                    args.wheels)
            print(f"{args.out}: release {manifest.version}, {len(manifest.files)} files")
        elif args.command == "verify":
            manifest = bundle.verify(args.file, args.cert)
            print(f"{args.file}: release {manifest.version}, signature good, "
                  f"{len(manifest.files)} files")
        elif args.command == "install":
            layout = Layout(args.root)
            restart = None if args.no_restart or args.root != Path("/") else observe.restart_ui
            pending = install(layout, args.file, args.cert, restart=restart,
                              baseline=lambda: observe.device_baseline(layout),
                              deadline_s=args.deadline,
                              progress=lambda step, d: print(json.dumps({"step": step, **d}),
                                                             flush=True))
            print(f"switched to {pending.version} (previous {pending.previous}); "
                  f"the gate decides within {pending.deadline_s:.0f} s")
        elif args.command == "status":
            print(json.dumps(status(Layout(args.root)), indent=1))
        elif args.command == "gate":
            done = _gate(Layout(args.root), args.settle)
            print(json.dumps(dumps(done)))
            return 0 if done is None or done.result == "committed" else 3
    except bundle.Refused as err:
        print(f"updates: refused: {err}", file=sys.stderr)
        return 2
    except (OSError, RuntimeError, ValueError, DamagedRecord) as err:
        print(f"updates: {args.command} failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
