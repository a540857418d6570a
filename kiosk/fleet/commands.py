"""Remote commands on the terminal: check, then act, then answer.

Every command is checked (signature, target, timestamp, persisted nonce) before
anything happens; the answer goes back on ``<base>/cmd/result`` through the outbox,
so it reaches the console even across a broker outage.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from common.command_signing import MAX_SKEW_S, Refused, check_command
from common.contract import COMMANDS
from kiosk.fleet.store import TerminalStore

log = logging.getLogger(__name__)


class Terminal(Protocol):
    """What commands need of the kiosk app (kiosk/fleet/app_link.py implements it)."""

    def in_session(self) -> bool: ...
    def set_out_of_service(self, on: bool) -> None: ...
    def test_print(self) -> str: ...
    def screenshot(self) -> bytes: ...
    def reload_config(self) -> str: ...
    def locate(self, seconds: float) -> str: ...
    def reboot(self) -> str: ...


class CommandHandler:
    def __init__(
        self,
        key: bytes | None,
        terminal_id: str,
        store: TerminalStore,
        terminal: Terminal,
        rebirth: Callable[[], None],
        send_screenshot: Callable[[bytes], None],
    ):
        self._key = key
        self._id = terminal_id
        self._store = store
        self._terminal = terminal
        self._rebirth = rebirth
        self._send_screenshot = send_screenshot

    def handle(self, body: dict[str, Any]) -> dict[str, Any]:
        """Run one command body; returns the result body (never raises)."""
        result = {"id": str(body.get("id", ""))[:32], "cmd": str(body.get("cmd", ""))[:32]}
        try:
            self._authorise(body)
            detail = self._run(body["cmd"], body.get("args") or {})
            result.update(ok=True, result="done", detail=detail)
        except Refused as exc:
            log.warning("command %s refused: %s", result["cmd"], exc)
            result.update(ok=False, result="refused", detail=str(exc))
        except Exception as exc:  # a failing action is answered, never crashes the kiosk
            log.exception("command %s failed", result["cmd"])
            result.update(ok=False, result="error", detail=f"{type(exc).__name__}: {exc}"[:200])
        result["ts"] = round(time.time(), 3)
        return result

    def _authorise(self, body: dict[str, Any]) -> None:
        if self._key is None:
            raise Refused("no command key configured on this terminal")
        check_command(self._key, self._id, body)
        if body.get("cmd") not in COMMANDS:
            raise Refused("unknown command")
        # Checked last: only a valid command uses up its nonce.
        if not self._store.use_nonce(body["nonce"], float(body["ts"]), keep_s=4 * MAX_SKEW_S):
            raise Refused("replayed (nonce already used)")
        log.info("command %s from %s accepted", body["cmd"], body.get("by") or "?")

    def _run(self, cmd: str, args: dict[str, Any]) -> str:
        t = self._terminal
        if cmd == "reboot":
            if t.in_session() and not args.get("force"):
                raise Refused("a citizen is in session (send with force to reboot anyway)")
            return t.reboot()
        if cmd == "out_of_service":
            t.set_out_of_service(True)
            return "out of service"
        if cmd == "in_service":
            t.set_out_of_service(False)
            return "in service"
        if cmd == "test_print":
            if t.in_session():
                raise Refused("a citizen is in session")
            return t.test_print()
        if cmd == "rebirth":
            self._rebirth()
            return "state published again"
        if cmd == "reload_config":
            return t.reload_config()
        if cmd == "screenshot":
            if t.in_session():  # the screen shows a citizen's data: it never leaves
                raise Refused("a citizen is in session: no screenshot")
            png = t.screenshot()
            self._send_screenshot(png)
            return f"screenshot sent ({len(png)} bytes)"
        if cmd == "locate":
            return t.locate(float(args.get("seconds", 30)))
        raise Refused("unknown command")
