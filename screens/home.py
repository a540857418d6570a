from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from screens.base import KioskScreen


class HomeScreen(KioskScreen):
    greeting_name = StringProperty("")  # personal: cleared when the session ends
    ss_up = BooleanProperty(True)
    ss_sub = StringProperty("")  # the tile's second line: what it offers, or why not now
    personal = ("greeting_name",)

    def refresh(self, app) -> None:
        citizen = app.controller.session.citizen
        self.greeting_name = mask_name(citizen.name) if citizen else ""
        self.ss_up = app.breakers.is_up("social-security")
        if self.ss_up:
            self.ss_sub = app.t("home.ss.sub")
        else:
            reason = app.t(f"reason.{app.breakers.reason('social-security')}")
            self.ss_sub = app.t("home.unavailable", reason=reason)


def mask_name(name: str) -> str:
    """张三丰 → 张*丰: enough to recognise yourself, not to be read over a shoulder."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
