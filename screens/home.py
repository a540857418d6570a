from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from common.privacy import mask_name
from screens.base import KioskScreen

__all__ = ["HomeScreen", "mask_name"]  # mask_name: where screens import it from

# Tile → (department whose breaker it follows, its second line while available).
TILES = {
    "ss": ("social-security", "home.ss.sub"),
    "hf": ("housing-fund", "home.hf.sub"),
    "traffic": ("traffic", "home.traffic.sub"),
    "progress": ("cases", "home.progress.sub"),
    "guides": ("guides", "home.guides.sub"),
}


class HomeScreen(KioskScreen):
    greeting_name = StringProperty("")  # personal: cleared when the session ends
    ss_up = BooleanProperty(True)
    ss_sub = StringProperty("")  # the tile's second line: what it offers, or why not now
    hf_up = BooleanProperty(True)
    hf_sub = StringProperty("")
    traffic_up = BooleanProperty(True)
    traffic_sub = StringProperty("")
    progress_up = BooleanProperty(True)
    progress_sub = StringProperty("")
    guides_up = BooleanProperty(True)
    guides_sub = StringProperty("")
    queue_up = BooleanProperty(True)
    queue_sub = StringProperty("")
    personal = ("greeting_name",)

    def refresh(self, app) -> None:
        citizen = app.controller.session.citizen
        self.greeting_name = mask_name(citizen.name) if citizen else ""
        for tile, (department, sub) in TILES.items():
            up = app.breakers.is_up(department)
            setattr(self, f"{tile}_up", up)
            if up:
                setattr(self, f"{tile}_sub", app.t(sub))
            else:
                reason = app.t(f"reason.{app.breakers.reason(department)}")
                setattr(self, f"{tile}_sub", app.t("home.unavailable", reason=reason))
        self._queue_tile(app)

    def _queue_tile(self, app) -> None:
        """排队取号 needs its business types from the back end and a working queue device."""
        if not app.breakers.is_up("queue"):
            reason = app.t(f"reason.{app.breakers.reason('queue')}")
            self.queue_up, self.queue_sub = False, app.t("home.unavailable", reason=reason)
            return
        problem = app.controller.flows["queue"].device_problem()
        self.queue_up = problem is None
        self.queue_sub = (app.t("home.queue.sub") if problem is None else
                          app.t("home.unavailable",
                                reason=problem.zh if app.lang == "zh" else problem.en))
