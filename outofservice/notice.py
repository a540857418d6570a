"""What the out-of-service screen says, read leniently from the kiosk's config."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
HOURS = re.compile(r"^\s*service_hours\s*=\s*\"([^\"]{1,40})\"", re.MULTILINE)
SITE = re.compile(r"^\s*site_name\s*=\s*\"([^\"]{1,80})\"", re.MULTILINE)
FONT = re.compile(r"^\s*font\s*=\s*\"([^\"]{1,200})\"", re.MULTILINE)


@dataclass(frozen=True)
class Notice:
    site_name: str = ""
    service_hours: str = ""
    font: str = DEFAULT_FONT

    def lines(self) -> list[tuple[str, int]]:
        """(text, relative size) from top to bottom."""
        out = [("暂停服务", 3), ("Out of service", 2)]
        if self.site_name:
            out.append((self.site_name, 1))
        if self.service_hours:
            out += [(f"服务时间  {self.service_hours}", 1),
                    (f"Service hours  {self.service_hours}", 1)]
        out += [("请到服务窗口办理，或稍后再试", 1),
                ("Please ask at the service counter, or try again later", 1)]
        return out


def _text(value: object, cap: int) -> str:
    return value[:cap] if isinstance(value, str) else ""


def read_notice(config: Path) -> Notice:
    """The site, its hours and the font; a broken or missing file gives what it can."""
    try:
        raw = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return Notice()
    try:
        data = tomllib.loads(raw)
        terminal, display = data.get("terminal", {}), data.get("display", {})
        return Notice(
            site_name=_text(terminal.get("site_name"), 80),
            service_hours=_text(terminal.get("service_hours", "00:00-24:00"), 40),
            font=_text(display.get("font"), 200) or DEFAULT_FONT,
        )
    except (tomllib.TOMLDecodeError, AttributeError):
        # Not TOML any more (perhaps why the UI failed): pick the lines out one by one.
        found = {name: rx.search(raw) for name, rx in
                 (("site_name", SITE), ("service_hours", HOURS), ("font", FONT))}
        return Notice(**{k: m.group(1) for k, m in found.items() if m})
