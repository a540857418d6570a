from __future__ import annotations

from kivy.properties import StringProperty

from screens.base import KioskScreen


class EndedScreen(KioskScreen):
    message = StringProperty("")

    def refresh(self, app) -> None:
        reason = app.controller.session.end_reason
        key = {"timeout": "ended.timeout", "rated": "rating.thanks"}.get(reason, "ended.thanks")
        self.message = app.t(key)
