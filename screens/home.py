from __future__ import annotations

from kivy.properties import StringProperty

from screens.base import KioskScreen


class HomeScreen(KioskScreen):
    greeting_name = StringProperty("")  # personal: cleared when the session ends
    personal = ("greeting_name",)

    def refresh(self, app) -> None:
        citizen = app.controller.session.citizen
        self.greeting_name = mask_name(citizen.name) if citizen else ""


def mask_name(name: str) -> str:
    """张三丰 → 张*丰: enough to recognise yourself, not to be read over a shoulder."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
