"""The agent's signed commands: reboot, restart the UI, collect its logs.

Checked like the kiosk's (common/command_signing.py: signature, target, age) and
nonces kept on disk (no replay). The agent is unprivileged: it asks root-side units
to act by writing a request file in its runtime directory, watched by
kiosk-ui-restart.path and kiosk-reboot.path (systemd/README.md says why).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from common.command_signing import MAX_SKEW_S, Refused, check_command
from common.contract import AGENT_COMMANDS

log = logging.getLogger(__name__)
REQUESTS = ("restart-ui", "reboot")  # the files the .path units watch
MAX_LOG_LINES = 200


class CommandBody(BaseModel):
    id: str = Field(min_length=1, max_length=64)
    cmd: Literal[AGENT_COMMANDS]  # type: ignore[valid-type]
    args: dict[str, Any] = {}
    by: str = Field("", max_length=64)


@dataclass
class Outcome:
    body: dict[str, Any]
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)  # leaf → body to publish
    then: Callable[[], None] | None = None  # runs once the answer has left


def request(folder: Path, name: str, note: str) -> None:
    """The file's existence triggers its .path unit (PathExists=); root's side removes it.

    Written under a temporary name and renamed, so it appears whole.
    """
    tmp = folder / f".{name}.tmp"
    tmp.write_text(note + "\n", encoding="utf-8")
    tmp.replace(folder / name)


class Commands:
    def __init__(self, key: bytes, terminal: str, nonces: Any, requests_dir: Path,
                 ui_health: Callable[[], str], journal: Callable[[int], list[str]]):
        self.key, self.terminal, self.nonces = key, terminal, nonces
        self.requests_dir = requests_dir
        self.ui_health, self.journal = ui_health, journal

    def handle(self, payload: bytes) -> Outcome:
        try:
            raw = json.loads(payload)
            if not isinstance(raw, dict):
                raise ValueError("not an object")
        except ValueError as exc:
            return self._answer({}, False, "refused", f"not JSON: {exc}")
        cmd_id = str(raw.get("id", ""))[:64]
        try:
            if not self.key:
                raise Refused("no command key configured")
            check_command(self.key, self.terminal, raw)
            body = CommandBody.model_validate(raw)
            if not self.nonces.use_nonce(raw["nonce"], float(raw["ts"]), 4 * MAX_SKEW_S):
                raise Refused("replayed nonce")
        except Refused as exc:
            log.warning("agent command %s refused: %s", cmd_id, exc)
            return self._answer(raw, False, "refused", str(exc))
        except ValidationError as exc:
            return self._answer(raw, False, "refused", exc.errors()[0]["msg"][:120])
        log.info("agent command %s %s by %s", body.id, body.cmd, body.by or "?")
        return getattr(self, "_" + body.cmd)(raw, body)

    def _answer(self, raw: dict, ok: bool, result: str, detail: str) -> Outcome:
        return Outcome({"id": str(raw.get("id", ""))[:64], "cmd": str(raw.get("cmd", ""))[:32],
                        "ok": ok, "result": result, "detail": detail,
                        "ts": round(time.time(), 3)})

    def _reboot(self, raw: dict, body: CommandBody) -> Outcome:
        if self.ui_health() == "running" and body.args.get("force") is not True:
            return self._answer(raw, False, "refused",
                                "the UI is running: use its own reboot command, or send force")
        out = self._answer(raw, True, "done", "rebooting")
        out.then = lambda: request(self.requests_dir, "reboot", body.id)
        return out

    def _restart_ui(self, raw: dict, body: CommandBody) -> Outcome:
        request(self.requests_dir, "restart-ui", body.id)
        return self._answer(raw, True, "done", "UI restart requested")

    def _collect_logs(self, raw: dict, body: CommandBody) -> Outcome:
        lines = body.args.get("lines", 50)
        if not isinstance(lines, int) or not 1 <= lines <= MAX_LOG_LINES:
            return self._answer(raw, False, "refused", f"lines: 1..{MAX_LOG_LINES}")
        out = self._answer(raw, True, "done", f"{lines} lines on agent/logs")
        out.extra["agent/logs"] = {"id": body.id, "lines": self.journal(lines),
                                   "ts": round(time.time(), 3)}
        return out
