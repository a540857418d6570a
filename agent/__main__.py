"""``python -m agent --config FILE``: the health agent (kiosk-agent.service).

Every ``--poll-s`` the main loop asks systemd how the UI unit is, reports a change at
once (with the journal's last lines when the UI is not running), carries out the
commands the MQTT thread queued, and pings its own watchdog: only this loop pings,
so an agent stuck anywhere in it is restarted by systemd.
"""

from __future__ import annotations

import argparse
import logging
import queue
import signal
import sys
import time
from pathlib import Path

from agent.commands import Commands
from agent.link import AgentLink
from agent.settings import SettingsError, load_settings
from agent.unit import journal_tail, unit_state
from common import contract as c
from kiosk import __version__, sdnotify
from kiosk.fleet.store import TerminalStore

log = logging.getLogger("agent")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m agent", description=__doc__)
    p.add_argument("--config", type=Path, default=Path("/etc/kiosk/kiosk.toml"))
    p.add_argument("--unit", default="kiosk-ui.service")
    p.add_argument("--state-dir", type=Path, default=Path("/var/lib/kiosk-agent"))
    p.add_argument("--requests-dir", type=Path, default=Path("/run/kiosk-agent"))
    p.add_argument("--poll-s", type=float, default=2.0)
    p.add_argument("--client-cert", type=Path, default=Path("/etc/kiosk/tls/client.crt"))
    p.add_argument("--client-key", type=Path, default=Path("/etc/kiosk/tls/client.key"),
                   help="the terminal's TLS client key (provisioning: 0600, kiosk-agent's)")
    p.add_argument("--log-lines", type=int, default=20, help="journal lines sent with a failure")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(args.config)
    except SettingsError as exc:
        print(f"agent: {exc}", file=sys.stderr)
        return 2  # Restart=always: tried again; the journal says why
    pair = (args.client_cert, args.client_key)
    link = AgentLink(settings, __version__,
                     tuple(map(str, pair)) if all(p.is_file() for p in pair) else None)
    store = TerminalStore(args.state_dir / "agent.sqlite")
    commands = Commands(
        bytes.fromhex(settings.fleet.command_key), settings.terminal.id, store,
        args.requests_dir, ui_health=lambda: unit_state(args.unit).health,
        journal=lambda n: journal_tail(args.unit, n),
    )
    stop = []
    signal.signal(signal.SIGTERM, lambda *_a: stop.append(True))
    link.start()
    sdnotify.ready("watching " + args.unit)
    last = None
    while not stop:
        state = unit_state(args.unit)
        if state != last:
            body = {"ts": round(time.time(), 3), "unit": args.unit, **state.report()}
            if state.health != "running":
                body["log"] = journal_tail(args.unit, args.log_lines)
            log.info("UI unit: %s (%s/%s, result %s, restarts %d)", state.health,
                     state.active, state.sub, state.result, state.restarts)
            link.publish_ui(body)
            sdnotify.status(f"UI {state.health}")
            last = state
        try:
            payload = link.commands.get(timeout=args.poll_s)
        except queue.Empty:
            payload = None
        if payload is not None:
            outcome = commands.handle(payload)
            for leaf, extra in outcome.extra.items():
                link.publish(leaf, extra)
            sent = link.publish(c.AGENT_RESULT, outcome.body, wait_s=5)
            if outcome.then:
                if not sent:
                    log.warning("the answer to %s did not leave in 5 s: acting anyway",
                                outcome.body["id"])
                outcome.then()
        sdnotify.watchdog()
    sdnotify.stopping()
    link.stop()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
