"""The console's terminal registry: which terminals were provisioned, at which site.

Written by ``python -m fleet.provision terminal`` (console folder, terminals.json),
read by the console's ingest: a terminal's site is the provisioned one, never the
topic level a terminal chose, and a login that was never provisioned as a terminal
stores nothing.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from common import contract as c

log = logging.getLogger(__name__)


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


def _mtime(path: Path) -> tuple[int, int, int]:
    """Changed on every register(): a new file (inode) each time, whatever the clock."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return (0, 0, 0)
    return (st.st_mtime_ns, st.st_ino, st.st_size)


class Registry:
    """Read once, reread when the file changed (checked once per batch by refresh()):
    a terminal provisioned or moved while the console runs counts at its next message."""

    def __init__(self, path: Path):
        self.path = path
        self._mtime = _mtime(path)
        self._sites = load(path)

    def refresh(self) -> None:
        if (mtime := _mtime(self.path)) != self._mtime:
            try:
                self._sites = load(self.path)
            except (OSError, ValueError, KeyError, AttributeError) as exc:  # keep what we had
                log.error("terminal registry %s unreadable, still using the last: %s",
                          self.path, exc)
            self._mtime = mtime

    def site(self, terminal: str) -> str | None:
        return self._sites.get(terminal)
