"""The look every screen shares: a palette and a text/target scale, normal or elder mode.

Pure Python (no Kivy): the app holds the palette in force as ``app.pal`` and the
scaled unit as ``app.fu``; every ``.kv`` rule reads those, so one switch restyles
every screen. Elder mode (适老化) is larger text and touch targets and a palette
whose text/background pairs reach WCAG AAA contrast (7:1).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

RGBA = tuple[float, float, float, float]
ELDER_SCALE = 1.25  # text and touch targets in elder mode, against normal
AAA = 7.0  # WCAG 2 contrast ratio for normal-size text, level AAA
AA = 4.5


@dataclass(frozen=True)
class Palette:
    paper: RGBA  # the screen's background
    surface: RGBA  # cards, entry boxes, keys
    ink: RGBA  # body text
    muted: RGBA  # secondary text (field names, hints)
    line: RGBA  # borders of cards, keys and cells
    primary: RGBA  # buttons, accents, and text in that colour on surfaces
    primary_down: RGBA
    primary_text: RGBA  # text on primary / secondary / danger buttons
    secondary: RGBA  # delete, space: buttons that are not the way forward
    secondary_down: RGBA
    quit: RGBA  # "end the session" buttons
    header: RGBA
    header_text: RGBA
    header_button: RGBA  # the header's own buttons
    attract: RGBA  # attract and thank-you screens
    attract_text: RGBA
    accent: RGBA  # "touch to start", the locate banner
    danger: RGBA  # error text
    banner: RGBA  # a red band with primary_text text (out of service, faults)
    ok: RGBA
    warn: RGBA
    disabled: RGBA  # a tile whose department is down
    disabled_text: RGBA
    placeholder: RGBA  # "type the case number here"
    tint: RGBA  # light fills: card illustrations, demo card buttons, pressed keys
    called: RGBA  # the call-staff button once staff were called
    called_text: RGBA


NORMAL = Palette(
    paper=(0.96, 0.97, 0.98, 1), surface=(1, 1, 1, 1), ink=(0.12, 0.14, 0.18, 1),
    muted=(0.40, 0.44, 0.50, 1), line=(0.78, 0.81, 0.86, 1),
    primary=(0.08, 0.33, 0.66, 1), primary_down=(0.05, 0.22, 0.45, 1), primary_text=(1, 1, 1, 1),
    secondary=(0.40, 0.44, 0.50, 1), secondary_down=(0.30, 0.33, 0.38, 1),
    quit=(0.62, 0.32, 0.28, 1),
    header=(0.08, 0.33, 0.66, 1), header_text=(1, 1, 1, 1), header_button=(0.22, 0.44, 0.73, 1),
    attract=(0.06, 0.27, 0.56, 1), attract_text=(1, 1, 1, 1), accent=(1, 0.86, 0.35, 1),
    danger=(0.75, 0.2, 0.15, 1), banner=(0.75, 0.2, 0.15, 1),
    ok=(0.13, 0.5, 0.25, 1), warn=(0.66, 0.4, 0.02, 1),
    disabled=(0.86, 0.88, 0.91, 1), disabled_text=(0.32, 0.36, 0.42, 1),
    placeholder=(0.40, 0.43, 0.48, 1), tint=(0.85, 0.89, 0.95, 1),
    called=(1, 0.86, 0.35, 1), called_text=(0.12, 0.14, 0.18, 1),
)

ELDER = Palette(
    paper=(1, 1, 1, 1), surface=(1, 1, 1, 1), ink=(0, 0, 0, 1),
    muted=(0.2, 0.2, 0.2, 1), line=(0, 0, 0, 1),
    primary=(0, 0.17, 0.42, 1), primary_down=(0, 0.08, 0.2, 1), primary_text=(1, 1, 1, 1),
    secondary=(0.2, 0.2, 0.2, 1), secondary_down=(0, 0, 0, 1),
    quit=(0.5, 0.05, 0.0, 1),
    header=(0, 0, 0, 1), header_text=(1, 1, 1, 1), header_button=(0.25, 0.25, 0.25, 1),
    attract=(0, 0, 0, 1), attract_text=(1, 1, 1, 1), accent=(1, 0.87, 0, 1),
    danger=(0.6, 0, 0, 1), banner=(0.6, 0, 0, 1),
    ok=(0, 0.35, 0, 1), warn=(0.45, 0.25, 0, 1),
    disabled=(0.85, 0.85, 0.85, 1), disabled_text=(0, 0, 0, 1),
    placeholder=(0.25, 0.25, 0.25, 1), tint=(0.9, 0.93, 1, 1),
    called=(1, 0.87, 0, 1), called_text=(0, 0, 0, 1),
)

# (text, background) pairs the screens draw, by palette field name.
TEXT_PAIRS = (
    ("ink", "paper"), ("ink", "surface"), ("muted", "paper"), ("muted", "surface"),
    ("primary", "surface"), ("primary", "tint"), ("primary", "paper"),
    ("primary_text", "primary"), ("primary_text", "primary_down"), ("primary_text", "secondary"),
    ("primary_text", "secondary_down"), ("primary_text", "quit"), ("primary_text", "banner"),
    ("header_text", "header"), ("header_text", "header_button"), ("called_text", "called"),
    ("attract_text", "attract"), ("accent", "attract"),
    ("danger", "paper"), ("danger", "surface"), ("ok", "surface"), ("warn", "surface"),
    ("disabled_text", "disabled"), ("placeholder", "surface"), ("ink", "tint"),
)


def palette(elder: bool) -> Palette:
    return ELDER if elder else NORMAL


def scale(elder: bool) -> float:
    return ELDER_SCALE if elder else 1.0


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(rgba: RGBA) -> float:
    """WCAG 2 relative luminance of an opaque colour (channels 0..1)."""
    r, g, b = (_linear(c) for c in rgba[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGBA, b: RGBA) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def weakest_pairs(pal: Palette, below: float) -> list[tuple[str, str, float]]:
    """The text/background pairs of ``pal`` under ``below``:1, for a clear test failure."""
    names = {f.name for f in fields(Palette)}
    assert all(t in names and b in names for t, b in TEXT_PAIRS)
    found = [(t, b, contrast(getattr(pal, t), getattr(pal, b))) for t, b in TEXT_PAIRS]
    return [(t, b, round(r, 2)) for t, b, r in found if r < below]
