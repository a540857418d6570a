"""What every screen shares: refresh from the controller, forget the citizen on clear."""

from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.screenmanager import Screen


class KioskRoot(BoxLayout):
    """A header bar (title, language switch) above the screen manager (ids.slot)."""


class KioskButton(Button):
    """A large touch target; styled in base.kv."""


class KioskScreen(Screen):
    # Names of properties that may hold personal data: reset by clear().
    personal: tuple[str, ...] = ()

    def refresh(self, app) -> None:
        """Pull what to show from ``app.controller``; called on the UI thread."""

    def clear(self) -> None:
        """The session ended: forget everything personal this screen shows."""
        for name in self.personal:
            prop = self.property(name)
            setattr(self, name, prop.defaultvalue)
