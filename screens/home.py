from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.privacy import mask_name
from screens.base import KioskScreen

__all__ = ["HomeScreen", "mask_name"]  # mask_name: where screens import it from


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
