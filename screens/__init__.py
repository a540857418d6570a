"""Kivy screens: one ``.kv`` file per screen for layout, thin Python for behaviour.

Screens read the session through the app's controller and call its methods; they
do no I/O and never block.

Only the attract screen and what the first touch needs are built at start-up; every
other screen is built, and its own ``.kv`` file parsed, the first time something asks
for it (``LazyScreenManager``): that keeps start-up short. So a rule in a screen's
``.kv`` serves that screen only; rules several screens share go in ``base.kv`` or a
file of their own (``keypad.kv``), which load at start-up (tests/screens checks this).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from kivy.lang import Builder
from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

from kiosk import departments
from kiosk.declaration import resolve
from screens.attract import AttractScreen
from screens.base import KioskRoot
from screens.clipping import unclip
from screens.ended import EndedScreen
from screens.home import HomeScreen
from screens.identify import IdentifyScreen
from screens.printing import PrintingScreen
from screens.rating import RatingScreen
from screens.records import RecordsScreen
from screens.shapes import RoundedBox  # noqa: F401  (registers the .kv instruction)

KV_DIR = Path(__file__).parent
# The kiosk's own screens, then every department's, as its declaration names them.
SCREENS: dict[str, type[Screen]] = {
    "attract": AttractScreen,
    "identify": IdentifyScreen,
    "home": HomeScreen,
    **{name: resolve(path) for name, path in departments.screens().items()},
    "records": RecordsScreen,
    "printing": PrintingScreen,
    "rating": RatingScreen,
    "ended": EndedScreen,
}
# Built at start-up: the first frame, and the screen the first touch leads to.
EAGER = ("attract", "identify")
log = logging.getLogger(__name__)


class LazyScreenManager(ScreenManager):
    """A ScreenManager that builds each screen the first time it is asked for.

    ``get_screen``, ``current = name`` and ``has_screen`` work for every known screen,
    built or not; ``screens`` holds only those built so far, which are the only ones
    that can hold anything to wipe. ``build_seconds`` says what each build cost.
    """

    def __init__(self, classes: dict[str, type[Screen]], **kw) -> None:
        super().__init__(**kw)
        # Kivy clips a ScreenManager for its transitions; with none, a screen never
        # leaves it, and the clip only costs fill on a software renderer (clipping.py).
        unclip(self)
        self._unbuilt = dict(classes)
        self.build_seconds: dict[str, float] = {}

    def get_screen(self, name: str) -> Screen:
        cls = self._unbuilt.get(name)
        if cls is not None:
            started = time.perf_counter()
            load_kv(screen_kv(cls))
            screen = cls(name=name)
            del self._unbuilt[name]  # before add_widget: it may set current, which asks again
            self.add_widget(screen)
            self.build_seconds[name] = time.perf_counter() - started
            log.debug("screen %s built in %.1f ms", name, 1000 * self.build_seconds[name])
        return super().get_screen(name)

    def has_screen(self, name: str) -> bool:
        return name in self._unbuilt or super().has_screen(name)

    @property
    def unbuilt(self) -> tuple[str, ...]:
        return tuple(self._unbuilt)


def screen_kv(cls: type[Screen]) -> Path:
    """A screen's own .kv file: the name of its module (screens/home.py, screens/home.kv)."""
    return KV_DIR / f"{cls.__module__.rsplit('.', 1)[-1]}.kv"


def shared_kv() -> list[Path]:
    """The .kv files that belong to no screen: loaded at start-up."""
    own = {screen_kv(cls) for cls in SCREENS.values()}
    return [kv for kv in sorted(KV_DIR.glob("*.kv")) if kv not in own]


def load_kv(kv: Path) -> None:
    if not kv.is_file():  # a screen may need no rules of its own
        return
    Builder.unload_file(str(kv))  # a second app in one process must not bind rules twice
    Builder.load_file(str(kv))


def build_root() -> tuple[KioskRoot, LazyScreenManager]:
    """Load the shared .kv files; (root widget, screen manager) with the eager screens."""
    for kv in shared_kv():
        load_kv(kv)
    # No animation: a kiosk answers a touch at once, and a transition swallows touches.
    manager = LazyScreenManager(SCREENS, transition=NoTransition())
    for name in EAGER:
        manager.get_screen(name)
    root = KioskRoot()
    root.ids.slot.add_widget(manager)
    return root, manager
