"""Scroll views clipped by a scissor box instead of Kivy's stencil, and a way to drop a clip.

Kivy clips a ScrollView (a StencilView) and a ScreenManager with the stencil buffer:
every frame, it paints the widget's rectangle into the stencil before drawing its
children and again after them. A GPU does that almost for free. A software renderer
(Mesa's llvmpipe: a kiosk PC without a GPU, and this project's CI) pays for each of
these rectangles as it pays for painting the area itself. On the records screen, the
two nested clips painted three times the window's area every frame, more than
everything visible together (``python -m bench.scroll_frames``; README, Benchmarks).

A scissor box clips to an axis-aligned rectangle of window pixels at no cost, and
nothing on a kiosk screen is rotated or scaled, so it clips exactly as the stencil did.
Its rectangle is in the pixels of the framebuffer drawn into, so it is placed again
each time the view is drawn: it follows the view wherever its parents move it. An
image of a widget (``export_as_image``, ``export_to_png``: the fleet's screenshot, the
fit test) is drawn into an Fbo upside down; draw it inside ``exporting(widget)`` so
the boxes are placed in that Fbo's pixels (``KioskRoot.export_as_image`` does).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kivy.graphics import Callback, InstructionGroup, ScissorPop, ScissorPush
from kivy.graphics.instructions import VertexInstruction
from kivy.graphics.stencil_instructions import StencilPop, StencilPush, StencilUnUse, StencilUse
from kivy.uix.image import Image
from kivy.uix.recycleview import RecycleView
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

_OPENS, _CLOSES = (StencilPush, StencilUnUse), (StencilUse, StencilPop)
_export: tuple[float, float, float] | None = None  # (x, top, scale) of the widget exported


@contextmanager
def exporting(widget: Widget, scale: float = 1) -> Iterator[None]:
    """Scissor boxes placed for Kivy's ``export_as_image`` of ``widget``, whose Fbo maps
    window point (x, y) to ((x - widget.x) * scale, (widget.top - y) * scale)."""
    global _export
    _export = (widget.x, widget.top, scale)
    try:
        yield
    finally:
        _export = None


def drop_stencil(group: InstructionGroup) -> None:
    """Remove the stencil clip Kivy's rules put in ``group``: the stencil instructions
    and the rectangles painted into the stencil between them."""
    inside = False
    for instruction in list(group.children):
        if isinstance(instruction, _OPENS):
            inside = True
            group.remove(instruction)
        elif isinstance(instruction, _CLOSES):
            inside = False
            group.remove(instruction)
        elif inside and isinstance(instruction, VertexInstruction):
            group.remove(instruction)  # its texture binding goes with it


def unclip(widget: Widget) -> None:
    """Draw ``widget`` without its stencil clip: for a ScreenManager whose screens never
    leave it (no transition), or an Image whose picture never leaves its box."""
    for group in (widget.canvas.before, widget.canvas, widget.canvas.after):
        drop_stencil(group)


class ScissorClip:
    """Mixin for a StencilView (ScrollView, RecycleView): clip with a scissor box."""

    def on_kv_post(self, base_widget) -> None:
        # Kivy's class rules, which put the stencil in, have been applied by now (not
        # yet in __init__ when a .kv rule builds this view).
        super().on_kv_post(base_widget)
        unclip(self)
        self.scissor = ScissorPush(x=0, y=0, width=0, height=0)
        self.canvas.before.insert(0, self.scissor)
        self.canvas.before.insert(0, Callback(self._place_scissor))
        self.canvas.after.insert(0, ScissorPop())

    def scissor_box(self) -> tuple[int, int, int, int]:
        """The view's rectangle in the framebuffer's pixels: (x, y, width, height)."""
        x, y = self.to_window(*self.pos)
        w, h = self.width, self.height
        if _export is not None:  # drawn upside down into an image's Fbo
            left, top, scale = _export
            x, y, w, h = (x - left) * scale, (top - y - h) * scale, w * scale, h * scale
        return round(x), round(y), round(w), round(h)

    def _place_scissor(self, _instruction=None) -> None:
        box = self.scissor_box()
        s = self.scissor
        if (s.x, s.y, s.width, s.height) != box:  # a change asks for one more frame
            s.x, s.y, s.width, s.height = box


class ScissorScrollView(ScissorClip, ScrollView):
    """A ScrollView clipped by a scissor box."""


class ScissorRecycleView(ScissorClip, RecycleView):
    """A RecycleView clipped by a scissor box."""


class UnclippedImage(Image):
    """An Image drawn without Kivy's stencil clip, which only a fit_mode of "cover" (a
    picture larger than its box) needs."""

    def on_kv_post(self, base_widget) -> None:
        super().on_kv_post(base_widget)
        if self.fit_mode == "cover":
            raise ValueError("UnclippedImage: fit_mode 'cover' needs the clip; use Image")
        unclip(self)
