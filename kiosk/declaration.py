"""What a department is, as data: the one declaration each ``kiosk/departments/<name>/``
package makes, and that the home tiles, the breakers, the screen registry, the voice
prompts, the fleet statistics and the robot's list of functions all read.

Kivy-free and light: screens are named by dotted path (``"screens.ss_status:Screen"``)
and the flow by the path of its ``build`` function, so that the console can read the
declarations without importing the kiosk's flows, and the kiosk's core without Kivy.
A wrong path fails the declaration test (tests/kiosk/departments), not a citizen.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from kiosk.i18n import Text

if TYPE_CHECKING:
    from kiosk.controller import KioskController
    from kiosk.services.breaker import DepartmentClient


@dataclass(frozen=True)
class Tile:
    """The department's button on the home screen."""

    text: Text  # "社保" / "Social security"
    sub: Text  # its second line while available: what it offers
    order: int  # place on the home screen, smallest first
    icon: str = ""  # a glyph shown before the text (the kiosk's font has it), or none
    colour: str = "primary"  # the palette colour it is drawn in (kiosk/theme.py)
    # "module:function": (flow) → why the tile is off although the breaker is up (a
    # bilingual Detail/Text with .zh/.en), or None. The queue needs its device.
    problem: str = ""


@dataclass(frozen=True)
class Function:
    """A service the journal records, as the fleet statistics name it."""

    service: str  # "ss.insurance_status": the journal's and the statistics' key
    name: Text  # how the console shows it


@dataclass(frozen=True)
class Wiring:
    """What a department's ``build`` gets: the controller, its own back-end client
    (behind its breaker) and the kiosk's data folder for its own SQLite files."""

    ctl: KioskController
    client: DepartmentClient
    data_dir: Path


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, usable as a key
class Department:
    key: str  # its package name: "social_security"
    name: Text  # in the out-of-order line: "社保业务"
    breaker: str  # its breaker, and its back end's /api/v1/<breaker>/health
    build: str  # "module:function": (Wiring) → the department's flow
    screens: Mapping[str, str]  # screen name → "module:ScreenClass"
    functions: tuple[Function, ...]  # every service it journals
    prompts: Mapping[str, Text]  # screen name → what the voice says when it shows
    tile: Tile | None = None  # None: reached from another department's screen
    # Its own words (name → text), in the catalog as "<key>.<name>": a department added
    # later keeps its texts in its package, not in the shared strings.toml.
    texts: Mapping[str, Text] = field(default_factory=dict)

    @property
    def first_screen(self) -> str:
        """The screen its tile opens: the first it declares."""
        return next(iter(self.screens))

    def text_key(self, name: str) -> str:
        """The catalog key of one of its own ``texts``."""
        return f"{self.key}.{name}"

    def voice_key(self, screen: str) -> str:
        """The catalog key of ``screen``'s prompt (voice.* : the only keys spoken)."""
        return f"voice.{screen}"


@runtime_checkable
class Upkeep(Protocol):
    """A flow with background work the app runs every minute (a flow may have none)."""

    def every_minute(self) -> None: ...


def resolve(path: str) -> Any:
    """``"package.module:name"`` → the object (imports the module)."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def build_flow(department: Department, wiring: Wiring) -> object:
    factory: Callable[[Wiring], object] = resolve(department.build)
    return factory(wiring)
