"""The home screen: one tile per department with a tile, in the declared order.

The tiles are data: ``kiosk.departments.with_tiles()`` gives them, one ``ServiceTile``
rule (home.kv) draws them all. A tile follows its department's breaker, and whatever
else its declaration says it needs (the queue tile: a queue device).
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.button import Button

from common.privacy import mask_name
from kiosk.declaration import Department, resolve
from kiosk.departments import with_tiles
from kiosk.i18n import local
from screens.base import KioskScreen

__all__ = ["HomeScreen", "ServiceTile", "mask_name"]  # mask_name: where screens import it from


class ServiceTile(Button):
    """A department's tile; drawn by the one ``<ServiceTile>`` rule in home.kv."""

    department: Department
    title = StringProperty("")
    sub = StringProperty("")  # the second line: what it offers, or why not now
    enabled = BooleanProperty(False)
    colour = StringProperty("primary")
    screen = ObjectProperty(None)  # the home screen it is on


class HomeScreen(KioskScreen):
    greeting_name = StringProperty("")  # personal: cleared when the session ends
    personal = ("greeting_name",)

    def __init__(self, **kw) -> None:
        self._tiles: dict[Department, ServiceTile] = {}
        super().__init__(**kw)

    def on_kv_post(self, _base) -> None:
        for department in with_tiles():
            tile = ServiceTile(colour=department.tile.colour, screen=self)
            tile.department = department
            tile.bind(on_release=self._open)
            self._tiles[department] = tile
            self.ids.tiles.add_widget(tile)

    def tile(self, department: Department) -> ServiceTile:
        """The tile of ``department`` (e.g. ``social_security.DEPARTMENT``)."""
        return self._tiles[department]

    @property
    def tiles(self) -> list[ServiceTile]:
        return list(self._tiles.values())

    def _open(self, tile: ServiceTile) -> None:
        if tile.enabled:
            self.app.controller.department_flow(tile.department).open()

    def refresh(self, app) -> None:
        citizen = app.controller.session.citizen
        self.greeting_name = mask_name(citizen.name) if citizen else ""
        for department, tile in self._tiles.items():
            declared = department.tile
            tile.title = (declared.icon + " " if declared.icon else "") + declared.text(app.lang)
            if not app.breakers.is_up(department.breaker):
                reason = app.t(f"reason.{app.breakers.reason(department.breaker)}")
                tile.enabled, tile.sub = False, app.t("home.unavailable", reason=reason)
                continue
            problem = None
            if declared.problem:
                problem = resolve(declared.problem)(app.controller.department_flow(department))
            tile.enabled = problem is None
            tile.sub = declared.sub(app.lang) if problem is None else app.t(
                "home.unavailable", reason=local(problem.zh, problem.en, app.lang))
