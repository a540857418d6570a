"""What may be shown of personal data on a screen someone else can read over a shoulder."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """张三丰 → 张*丰: enough to recognise yourself, not to be read over a shoulder."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
