"""Does a screen fit its window? Every widget inside it, every label's text inside its box.

Used by test_fit.py for every screen the screen manager has, at each kiosk display
size, in normal and elder mode, in both languages.
"""

from __future__ import annotations

from kivy.core.window import Window
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from tests.robot.kivy_robot import frames

SLACK = 1.5  # pixels: rounding of sizes computed in app.u


def set_window_size(size: tuple[int, int]) -> None:
    """Resize the (offscreen) window: the app's layout unit follows its size."""
    Window.size = size
    frames(4)


def _shown(widget: Widget) -> bool:
    node = widget
    while node is not None and node is not Window:
        if node.opacity <= 0.01 or node.width <= 0 or node.height <= 0:
            return False
        node = node.parent
    return True


def _scrolled(widget: Widget) -> bool:
    """Inside a ScrollView (RecycleView too): it may lie outside, the view scrolls."""
    node = widget.parent
    while node is not None and node is not Window:
        if isinstance(node, ScrollView):
            return True
        node = node.parent
    return False


def _name(widget: Widget) -> str:
    ids = {id(w): k for k, w in getattr(_owner(widget), "ids", {}).items()}
    label = ids.get(id(widget), "")
    text = getattr(widget, "text", "")
    return f"{type(widget).__name__}{'#' + label if label else ''}" + (
        f" {text[:30]!r}" if isinstance(text, str) and text else "")


def _owner(widget: Widget) -> Widget | None:
    node = widget.parent
    while node is not None and node is not Window and not hasattr(node, "manager"):
        node = node.parent
    return node


def text_needs(label: Label) -> tuple[float, float]:
    """The size the label's text takes, wrapped at its text_size width (if any)."""
    core = label._label
    options = dict(core.options)
    options["text_size"] = (label.text_size[0], None)
    measure = type(core)(**options)
    measure.text = label.text
    measure.refresh()
    return measure.texture.size if measure.texture else (0, 0)


def _within(widget: Widget, ancestor: Widget) -> bool:
    node = widget
    while node is not None and node is not Window:
        if node is ancestor:
            return True
        node = node.parent
    return False


def misfits(root: Widget, screen: Widget | None = None) -> list[str]:
    """What lies outside the window (or outside ``screen``, for the screen's own
    widgets: under the header is outside too), or whose text overflows or is clipped."""
    frames(3)
    win_w, win_h = Window.size
    if screen is not None:
        sx, sy = screen.to_window(screen.x, screen.y)
        sright, stop = screen.to_window(screen.right, screen.top)
    found = []
    for widget in root.walk(restrict=True):
        if not _shown(widget) or _scrolled(widget):
            continue
        x, y = widget.to_window(widget.x, widget.y)
        right, top = widget.to_window(widget.right, widget.top)
        box, where = (0, 0, win_w, win_h), "the window"
        if screen is not None and widget is not screen and _within(widget, screen):
            box, where = (sx, sy, sright, stop), "its screen"
        if (x < box[0] - SLACK or y < box[1] - SLACK or right > box[2] + SLACK
                or top > box[3] + SLACK):
            found.append(f"{_name(widget)} lies outside {where}: "
                         f"({x:.0f},{y:.0f})-({right:.0f},{top:.0f}) in "
                         f"({box[0]:.0f},{box[1]:.0f})-({box[2]:.0f},{box[3]:.0f})")
            continue
        if isinstance(widget, Label) and widget.text.strip() and not widget.shorten:
            need_w, need_h = text_needs(widget)
            if need_w > widget.width + SLACK or need_h > widget.height + SLACK:
                found.append(f"{_name(widget)}: text needs {need_w:.0f}x{need_h:.0f}, "
                             f"box is {widget.width:.0f}x{widget.height:.0f}")
    return found


# Instructions a software renderer (llvmpipe) pays dearly for on every frame, and what
# draws the same cheaply (screens/clipping.py, screens/shapes.py).
COSTLY = {
    "StencilPush": "a stencil clip: use ScissorScrollView, ScissorRecycleView, "
                   "UnclippedImage, or unclip()",
    "RoundedRectangle": "a fan of thin triangles: use RoundedBox",
}


def costly_to_draw(root: Widget) -> list[str]:
    """Instructions in ``root``'s drawing that ``COSTLY`` names, with what to use."""
    counts: dict[str, int] = {}

    def walk(group) -> None:
        for instruction in getattr(group, "children", None) or ():
            name = type(instruction).__name__
            if name in COSTLY:
                counts[name] = counts.get(name, 0) + 1
            walk(instruction)

    walk(root.canvas)
    return [f"{n} {name} drawn: {COSTLY[name]}" for name, n in sorted(counts.items())]
