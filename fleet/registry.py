"""The console's terminal registry: which terminals were provisioned, at which site.

Written by ``python -m fleet.provision terminal`` (console folder, terminals.json),
read by the console's ingest: a terminal's site is the provisioned one, never the
topic level a terminal chose, and a login that was never provisioned as a terminal
stores nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from common import contract as c


def load(path: Path) -> dict[str, str]:
    """terminal id → site; an absent file is an empty registry."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    return {tid: entry["site"] for tid, entry in data.get("terminals", {}).items()}


def register(path: Path, terminal: str, site: str) -> None:
    """Add or move a terminal (atomically: the console may be reading)."""
    if not c.valid_terminal_id(terminal):
        raise ValueError(f"terminal id {terminal!r} is not allowed (letters, digits, - and _, "
                         "at most 32, not a reserved name)")
    if not c.valid_site(site):
        raise ValueError(f"site {site!r} is not allowed (letters, digits, - and _, at most 64)")
    entries = {tid: {"site": s} for tid, s in load(path).items()}
    entries[terminal] = {"site": site}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"terminals": entries}, indent=1, sort_keys=True))
    os.replace(tmp, path)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


class Registry:
    """Read once; an unknown terminal rereads the file if it changed since (a terminal
    provisioned while the console runs is known at its first message)."""

    def __init__(self, path: Path):
        self.path = path
        self._mtime = _mtime(path)
        self._sites = load(path)

    def site(self, terminal: str) -> str | None:
        site = self._sites.get(terminal)
        if site is None and (mtime := _mtime(self.path)) != self._mtime:
            self._mtime, self._sites = mtime, load(self.path)
            site = self._sites.get(terminal)
        return site
