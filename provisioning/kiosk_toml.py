"""Render the terminal's /etc/kiosk/kiosk.toml from the project's example, keeping its comments.

Values are replaced in place, key by key; a key the example only shows commented out
(``# tls = true``) is uncommented; a section the terminal lacks is dropped. The result
is validated with the kiosk's own model (kiosk/config.py) before it is written.
"""

from __future__ import annotations

import json
import re
import tomllib

from kiosk.config import KioskConfig

_HEADER = re.compile(r"^\s*\[([^\]]+)\]")


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} into TOML")


def render(example: str, settings: dict[str, dict[str, object]],
           drop: tuple[str, ...] = ()) -> str:
    """``settings`` maps a section ("devices.idcard") to its keys' new values."""
    out: list[str] = []
    section = ""
    pending: dict[str, dict[str, object]] = {s: dict(v) for s, v in settings.items()}
    for line in example.splitlines():
        header = _HEADER.match(line)
        if header:
            _flush(out, pending.get(section, {}))
            section = header.group(1).strip()
        if section in drop:
            continue
        keys = pending.get(section, {})
        match = re.match(r"^(\s*)(#\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*", line)
        if not header and match and match.group(3) in keys:
            key = match.group(3)
            comment = _comment(line[match.end():]) if not match.group(2) else ""
            new = f"{match.group(1)}{key} = {_value(keys.pop(key))}"
            line = f"{new:<34} {comment}".rstrip() if comment else new
        out.append(line)
    _flush(out, pending.get(section, {}))
    head = ("# Rendered by `python -m provisioning enroll` from the project's config/kiosk.toml;\n"
            "# the comments are the example's. Re-run enroll rather than editing this file.\n")
    text = head + "\n".join(out) + "\n"
    leftover = [f"{s}.{k}" for s, keys in pending.items() if s not in drop for k in keys]
    if leftover:
        raise ValueError(f"the example has no section for: {', '.join(leftover)}")
    KioskConfig.model_validate(tomllib.loads(text))  # the kiosk must load what we write
    return text


def _comment(rest: str) -> str:
    """The trailing ``# ...`` of a line's value, outside any quoted string."""
    quoted = False
    for index, char in enumerate(rest):
        if char == '"':
            quoted = not quoted
        elif char == "#" and not quoted:
            return rest[index:]
    return ""


def _flush(out: list[str], keys: dict[str, object]) -> None:
    """Keys the example's section lacks go at its end, before any blank lines."""
    tail = 0
    while out and not out[-1].strip():
        out.pop()
        tail += 1
    for key in list(keys):
        out.append(f"{key} = {_value(keys.pop(key))}")
    out.extend([""] * tail)
