"""The terminal ↔ console contract (v1): topics, payload shapes, the light.

Shared by the kiosk and the console (``fleet/``) so both sides read one
definition. docs/fleet-contract.md documents it for anyone else.
"""

from __future__ import annotations

import json
import re
from typing import Any

VERSION = 1  # bumped only with the topic prefix (kiosk/v<N>)

# Leaves under <prefix>/<site>/<terminal>/
STATE = "state"  # retained birth / death, with the bdseq session counter
HEALTH = "health"  # retained health state: on change and every heartbeat
EVENT = "event"  # alarms raised / cleared, via the on-disk outbox
TXN = "txn"  # one finished service (statistics), via the on-disk outbox
CMD = "cmd"  # console → terminal, signed
RESULT = "cmd/result"  # terminal → console, the answer to one command
SCREENSHOT = "screenshot"  # terminal → console, raw PNG bytes
# The health agent (agent/, kiosk-agent.service): its own connection, beside the UI's.
AGENT_STATE = "agent/state"  # retained birth / death of the agent (its Last Will)
AGENT_UI = "agent/ui"  # retained: the UI unit as systemd sees it, on every change
AGENT_CMD = "agent/cmd"  # console → agent, signed like cmd
AGENT_RESULT = "agent/cmd/result"  # agent → console, the answer to one command
AGENT_LOGS = "agent/logs"  # agent → console, the UI's last journal lines, redacted

# Ids as they appear in topics, MQTT logins and client ids: no topic wildcards or
# separators, no spaces, bounded. The console's own client ids contain a "." so a
# terminal login (its client id forced to its name by the broker) never takes one.
TERMINAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
SITE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
RESERVED_IDS = frozenset({"console"})  # broker logins that are not terminals


def valid_terminal_id(tid: str) -> bool:
    return bool(TERMINAL_ID.fullmatch(tid)) and tid.lower() not in RESERVED_IDS


def valid_site(site: str) -> bool:
    return bool(SITE_ID.fullmatch(site))


LIGHTS = ("green", "yellow", "red")  # the console adds "grey" for offline
PAPER_LEVELS = ("ok", "low", "out", "unknown")
COMMANDS = (
    "reboot", "out_of_service", "in_service", "test_print", "rebirth",
    "reload_config", "screenshot", "locate",
)
AGENT_COMMANDS = ("reboot", "restart_ui", "collect_logs")  # work with the UI dead
UI_HEALTH = ("running", "starting", "restarting", "failed", "dead")


def base_topic(prefix: str, site: str, terminal: str) -> str:
    return f"{prefix}/{site}/{terminal}"


def parse_topic(topic: str) -> tuple[str, str, str] | None:
    """``kiosk/v1/<site>/<terminal>/<leaf...>`` → (site, terminal, leaf), else None."""
    parts = topic.split("/")
    if len(parts) < 5 or parts[0] != "kiosk" or parts[1] != f"v{VERSION}":
        return None
    return parts[2], parts[3], "/".join(parts[4:])


def dumps(body: dict[str, Any]) -> bytes:
    """Compact JSON: bytes on the wire cost money on a 4G link."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def worst(lights: list[str]) -> str:
    order = {"green": 0, "yellow": 1, "red": 2}
    return max(lights, key=order.__getitem__, default="green")


def paper_level(state: str, detail: str) -> str:
    """The receipt paper from the printer's status (XFS4IoT: full/low/out/unknown)."""
    if "paper out" in detail:
        return "out"
    if "near end" in detail:
        return "low"
    if state in ("online", "busy"):
        return "ok"
    return "unknown"
