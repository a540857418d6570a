"""An on-screen keypad: one large button per key, laid out from a list of keys."""

from __future__ import annotations

from kivy.properties import ListProperty, NumericProperty
from kivy.uix.button import Button
from kivy.uix.gridlayout import GridLayout


class KeyButton(Button):
    """Styled in keypad.kv."""


class Keypad(GridLayout):
    keys = ListProperty([])
    key_height = NumericProperty(52)
    __events__ = ("on_key",)

    def on_keys(self, _pad, keys: list[str]) -> None:
        self.clear_widgets()
        for key in keys:
            button = KeyButton(text=key, height=self.key_height)
            button.bind(on_release=lambda b: self.dispatch("on_key", b.text))
            self.add_widget(button)

    def on_key_height(self, _pad, height: float) -> None:
        for button in self.children:
            button.height = height

    def on_key(self, key: str) -> None:
        """Bound by the screen that owns the keypad."""

    def button(self, key: str) -> KeyButton:
        """The button of ``key`` (for tests and for focus)."""
        return next(b for b in self.children if b.text == key)
