"""Every department the kiosk offers, each declared once in its own package.

Adding a department: its package here (service, flow, presenters, state and the
``DEPARTMENT`` declaration), its screens in ``screens/``, and one line below. The home
tiles, the breakers, the screen registry, the voice prompts, the fleet statistics'
service names and the robot's list of functions all read this list.
"""

from __future__ import annotations

from kiosk.declaration import Department, Function
from kiosk.departments import (
    cases,
    guides,
    housing_fund,
    medical,
    queue,
    social_security,
    ss_card,
    traffic,
)

DEPARTMENTS: tuple[Department, ...] = (
    social_security.DEPARTMENT,
    ss_card.DEPARTMENT,
    medical.DEPARTMENT,
    housing_fund.DEPARTMENT,
    traffic.DEPARTMENT,
    queue.DEPARTMENT,
    cases.DEPARTMENT,
    guides.DEPARTMENT,
)


def with_tiles(departments: tuple[Department, ...] = DEPARTMENTS) -> list[Department]:
    """Those with a home tile, in the tiles' order."""
    return sorted((d for d in departments if d.tile), key=lambda d: d.tile.order)


def breakers(departments: tuple[Department, ...] = DEPARTMENTS) -> dict[str, Department]:
    """Breaker name → the first department behind it (whose name the attract screen
    shows while the breaker is open). Departments may share a back end."""
    found: dict[str, Department] = {}
    for d in departments:
        found.setdefault(d.breaker, d)
    return found


def screens(departments: tuple[Department, ...] = DEPARTMENTS) -> dict[str, str]:
    """Screen name → "module:Class", for every department's screens."""
    found: dict[str, str] = {}
    for d in departments:
        for name, path in d.screens.items():
            if name in found:
                raise ValueError(f"screen {name!r} declared by two departments")
            found[name] = path
    return found


def functions(departments: tuple[Department, ...] = DEPARTMENTS) -> list[Function]:
    return [f for d in departments for f in d.functions]


def voice_entries(departments: tuple[Department, ...] = DEPARTMENTS
                  ) -> dict[str, dict[str, str]]:
    """The departments' voice prompts as catalog entries (``voice.<screen>``)."""
    return {d.voice_key(screen): {"zh": text.zh, "en": text.en}
            for d in departments for screen, text in d.prompts.items()}


def catalog_entries(departments: tuple[Department, ...] = DEPARTMENTS
                    ) -> dict[str, dict[str, str]]:
    """What the departments add to the catalog: their voice prompts and own texts."""
    texts = {d.text_key(name): {"zh": text.zh, "en": text.en}
             for d in departments for name, text in d.texts.items()}
    return {**voice_entries(departments), **texts}


def voice_prompts(departments: tuple[Department, ...] = DEPARTMENTS) -> dict[str, str]:
    """Screen → the catalog key of its prompt."""
    return {screen: d.voice_key(screen) for d in departments for screen in d.prompts}
