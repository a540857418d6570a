"""What may be shown of personal data on a screen someone else can read over a shoulder."""

from __future__ import annotations

from typing import TypeVar


def mask_name(name: str) -> str:
    """张三丰 → 张*丰: enough to recognise yourself, not to be read over a shoulder."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


T = TypeVar("T", bound=type)


def personal(cls: T) -> T:
    """Class decorator: ``repr`` (and ``str``) show ``Name(<personal>)``, never a field,
    so a log line or a traceback cannot print a name, a number or a balance. Put it
    above ``@dataclass`` (which would write its own ``__repr__``)."""

    def __repr__(self: object) -> str:
        return f"{type(self).__name__}(<personal>)"

    __repr__.personal = True  # type: ignore[attr-defined]  # what the tests look for
    cls.__repr__ = __repr__  # type: ignore[assignment]
    cls.__str__ = __repr__  # type: ignore[assignment]
    return cls


def is_personal(cls: type) -> bool:
    """``cls`` keeps its fields out of ``repr`` (``personal`` or ``PersonalValue``)."""
    return getattr(cls.__repr__, "personal", False)
