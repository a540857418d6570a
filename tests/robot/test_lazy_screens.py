"""Screens are built on first use (screens.LazyScreenManager): the kiosk knows every
screen from the start, builds each once when first asked, and its ``screens`` (what
the privacy wipe clears) are the ones built."""

from __future__ import annotations

import pytest
from kivy.uix.screenmanager import NoTransition, Screen, ScreenManagerException

from screens import EAGER, SCREENS, LazyScreenManager

pytestmark = pytest.mark.robot


BUILT: list[str] = []


class Counted(Screen):
    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        BUILT.append(self.name)


def test_the_kiosk_knows_every_screen_and_built_the_eager_ones(world):
    manager = world.app.screens
    assert set(EAGER) <= set(manager.build_seconds)
    assert all(manager.has_screen(name) for name in SCREENS)
    assert set(manager.unbuilt) | {s.name for s in manager.screens} == set(SCREENS)
    assert not set(manager.unbuilt) & {s.name for s in manager.screens}


def test_a_screen_is_built_once_when_first_asked_for(world):
    BUILT.clear()
    manager = LazyScreenManager({"one": Counted, "two": Counted}, transition=NoTransition())
    assert BUILT == [] and manager.has_screen("two") and manager.screens == []
    assert manager.get_screen("one").name == "one"
    assert manager.current == "one"  # the first screen built is shown, as ScreenManager does
    assert BUILT == ["one"] and manager.unbuilt == ("two",)
    manager.current = "two"
    assert manager.current_screen.name == "two" and BUILT == ["one", "two"]
    manager.current = "one"
    manager.get_screen("two")
    assert BUILT == ["one", "two"]  # never twice
    assert [s.name for s in manager.screens] == ["one", "two"]
    assert set(manager.build_seconds) == {"one", "two"}
    assert not manager.has_screen("three")
    with pytest.raises(ScreenManagerException):
        manager.get_screen("three")
