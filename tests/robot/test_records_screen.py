"""The generic records screen: hundreds of rows scroll, and nothing survives the session.

The rows come through the controller's real query pipeline (worker thread, journal,
session) from a job that builds them locally, each carrying the citizen's name so
that a stale row anywhere, recycled views included, would be caught.
"""

from __future__ import annotations

import pytest

from backend.citizens import DEMO_CITIZENS
from kiosk.records import Listing, RecordsView, Row, show_records
from tests.robot.kivy_robot import drag, frames, screenshot, tap, wait_until
from tests.robot.steps import back_to_attract, finish_with_rating, identify
from tests.robot.world import SHOTS, assert_nothing_personal, recycled_views, shown_texts

pytestmark = pytest.mark.robot
ROWS = 600


def present(answer: list[str], t, lang: str) -> Listing:
    return Listing(
        summary=f"{answer[0]}",
        rows=[Row(f"{i:04d} {name}", "detail", "1.00", "ok" if i % 2 else "")
              for i, name in enumerate(answer)],
        empty="none",
    )


def visible_indices(screen) -> set[int]:
    return {int(v.index) for v in screen.ids.rv.view_adapter.views.values()}


def test_hundreds_of_rows_scroll_and_are_forgotten(patient):
    world = patient
    app = world.app
    citizen = DEMO_CITIZENS[0]
    identify(world, citizen)
    view = RecordsView("records.page_down", present, back="home")
    show_records(app.controller, "test.records", view, lambda _id: [citizen.name] * ROWS)
    records = app.screens.get_screen("records")
    wait_until(lambda: app.screens.current == "records" and len(records.ids.rv.data) == ROWS,
               what="rows on the records screen")
    wait_until(lambda: len(visible_indices(records)) >= 5, what="first rows laid out")
    shown = visible_indices(records)
    assert 0 in shown and len(shown) < 20  # recycled: only what fits is a widget
    assert records.count == "共 600 条"
    screenshot(SHOTS, "records-top")
    # The scroll bar's thumb is long enough to see and touch, and follows the list.
    rv = records.ids.rv
    thumb_x, thumb_y = rv._handle_y_pos
    assert rv._handle_y_size[1] == pytest.approx(48 * app.u)
    assert thumb_y + rv._handle_y_size[1] == pytest.approx(rv.top)
    assert rv.x < thumb_x < rv.right
    rv.scroll_y = 0
    frames(2)
    assert rv._handle_y_pos[1] == pytest.approx(rv.y)
    rv.scroll_y = 1
    frames(2)

    tap(records.ids.page_down)
    wait_until(lambda: min(visible_indices(records)) > 3, what="a page further down")
    page = visible_indices(records)
    tap(records.ids.page_up)
    wait_until(lambda: 0 in visible_indices(records), what="a page back up")
    drag(records.ids.rv, 600)  # a swipe up moves the list on, past the page seen before
    wait_until(lambda: min(visible_indices(records)) > max(page), what="rows after a swipe")
    screenshot(SHOTS, "records-scrolled")

    # The walk of recycled views does see rows: the check below is not vacuous.
    assert any(citizen.name in t for t in shown_texts(app))

    finish_with_rating(world, "records")
    assert_nothing_personal(app, citizen)
    assert records.ids.rv.data == []
    assert len(list(recycled_views(records))) >= len(shown)  # kept for reuse, but blank
    back_to_attract(world)


def test_rows_are_clipped_to_the_list_on_screen_and_in_an_exported_image(patient, tmp_path):
    """The list clips with a scissor box, not Kivy's stencil (screens/clipping.py): row
    10 scrolled to stick out 3 px above the list's top edge, the rule over it shows
    neither in the window nor in an image of the root drawn through an Fbo (the fleet's
    screenshot), while the rule over row 11, inside the list, shows in both."""
    from PIL import Image

    world = patient
    app = world.app
    identify(world, DEMO_CITIZENS[0])
    view = RecordsView("records.page_down", present, back="home")
    show_records(app.controller, "test.records", view, lambda _id: ["row"] * ROWS)
    records = app.screens.get_screen("records")
    rv = records.ids.rv
    wait_until(lambda: len(rv.data) == ROWS and len(visible_indices(records)) >= 5,
               what="rows laid out")
    layout = rv.layout_manager
    pitch = layout.default_size[1] + layout.spacing
    above = 3  # px: how far row 10 sticks out above the list's top edge
    rv.scroll_y = 1 - (10 * pitch + above) / (layout.height - rv.height)
    frames(4)
    rule = tuple(round(255 * c) for c in app.pal.line[:3])
    paper = tuple(round(255 * c) for c in app.pal.paper[:3])
    assert rule != paper
    left, bottom = rv.to_window(rv.x, rv.y)
    top = round(bottom + rv.height)
    columns = range(int(left) + 20, int(left) + 200)  # left of the count, under no text

    def colours(image: Image.Image, rows: range) -> set[tuple[int, int, int]]:
        # Images run top down, the window bottom up.
        return {image.getpixel((x, image.height - 1 - y))[:3] for x in columns for y in rows}

    window_shot = Image.open(screenshot(tmp_path, "clipped")).convert("RGB")
    app.root_widget.export_to_png(str(tmp_path / "exported.png"))
    exported = Image.open(tmp_path / "exported.png").convert("RGB")
    for name, image in (("window", window_shot), ("exported image", exported)):
        inside = range(top + above - round(pitch) - 2, top + above - round(pitch) + 3)
        assert rule in colours(image, inside), f"{name}: row 11's rule is not drawn"
        outside = range(top, top + above + 3)
        assert colours(image, outside) == {paper}, f"{name}: row 10's rule shows above the list"
    back_to_attract(world)
