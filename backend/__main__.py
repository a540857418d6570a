"""Run the demo back end.

    python -m backend --host 127.0.0.1 --port 8765 --db var/backend.sqlite

Prints exactly one line on stdout once the socket is bound (``--port 0`` picks a free port and
the line tells which), so a parent process can wait for it instead of polling. The access log
is off: request lines are not needed and must never become a place where personal data lands.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

import uvicorn

from backend.app import create_app
from backend.settings import DEFAULT_VERIFY_BASE


class _Server(uvicorn.Server):
    async def startup(self, sockets=None) -> None:  # type: ignore[override]
        await super().startup(sockets=sockets)
        if self.started:
            host, port = self.servers[0].sockets[0].getsockname()[:2]
            host = f"[{host}]" if ":" in host else host  # IPv6
            print(f"backend: listening on http://{host}:{port}", flush=True)


def _quiet_exit(signum: int, frame: object) -> None:
    # uvicorn shuts down gracefully, then re-raises the signal it caught; end with status 0.
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m backend", description="Run the demo back end.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--db", type=Path, default=Path("var/backend.sqlite"))
    parser.add_argument("--verify-base", default=DEFAULT_VERIFY_BASE,
                        help="what certificate QR codes point to (?code=... is appended)")
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _quiet_exit)
    app = create_app(args.db, verify_base=args.verify_base)
    config = uvicorn.Config(
        app, host=args.host, port=args.port, access_log=False, log_level=args.log_level,
    )
    try:
        _Server(config).run()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
