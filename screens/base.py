"""What every screen shares: refresh from the controller, forget the citizen on clear."""

from __future__ import annotations

from dataclasses import asdict

from kivy.graphics import Color, InstructionGroup, Rectangle
from kivy.properties import ColorProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.screenmanager import Screen

from screens.clipping import exporting


class KioskRoot(BoxLayout):
    """A header bar (title, language switch) above the screen manager (ids.slot).

    The paper under everything is the window's clear colour, not a rectangle: the
    window is cleared every frame anyway, and a window-sized rectangle is a whole
    window of fill each frame on a software renderer (see clipping.py). An image of
    the root made through an Fbo (``export_to_png``: the fleet's screenshot) has no
    window behind it, so the paper is painted in for that one render, and the scroll
    views' scissor boxes are placed in the Fbo's pixels.
    """

    paper = ColorProperty((1, 1, 1, 1))

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.on_paper(self, self.paper)  # the rule's value may equal the default

    def on_paper(self, _root, rgba) -> None:
        from kivy.core.window import Window

        Window.clearcolor = rgba

    def export_as_image(self, *args, **kwargs):
        backdrop = InstructionGroup()
        backdrop.add(Color(rgba=self.paper))
        backdrop.add(Rectangle(pos=self.pos, size=self.size))
        self.canvas.before.insert(0, backdrop)
        try:
            with exporting(self, kwargs.get("scale", 1)):
                return super().export_as_image(*args, **kwargs)
        finally:
            self.canvas.before.remove(backdrop)


class KioskButton(Button):
    """A large touch target; styled in base.kv."""


class KioskScreen(Screen):
    # Names of properties that may hold personal data: reset by clear().
    personal: tuple[str, ...] = ()
    # The department flow this screen's buttons call, as ``root.flow.<method>()`` in its
    # .kv (tests/screens checks every such method exists on this class).
    flow_type: type | None = None

    @property
    def app(self):
        from kivy.app import App

        return App.get_running_app()

    @property
    def flow(self):
        """The running app's flow of ``flow_type``."""
        return self.app.controller.flow(self.flow_type)

    def refresh(self, app) -> None:
        """Pull what to show from ``app.controller``; called on the UI thread."""

    def show(self, view: object) -> None:
        """Set this screen's properties from a presenter's view (a dataclass whose
        fields are named as the properties): what to show is computed in the presenter."""
        for name, value in asdict(view).items():
            setattr(self, name, value)

    def clear(self) -> None:
        """The session ended: forget everything personal this screen shows."""
        for name in self.personal:
            prop = self.property(name)
            setattr(self, name, prop.defaultvalue)
