"""The image RoundedBox stretches: a white square with rounded corners, flat between."""

from __future__ import annotations

import pytest

from screens.shapes import corner_image


@pytest.mark.parametrize("radius", [4, 8, 12, 28])
def test_corners_are_cut_the_middle_is_opaque_and_the_square_is_symmetric(radius):
    image = corner_image(radius)
    side = 2 * radius + 2
    assert image.size == (side, side)
    alpha = image.getchannel("A")
    mid = radius  # the first of the two flat middle pixels
    for x, y in ((0, 0), (side - 1, 0), (0, side - 1), (side - 1, side - 1)):
        assert alpha.getpixel((x, y)) < 40, f"corner ({x},{y}) of radius {radius}"
    for x, y in ((mid, mid), (0, mid), (side - 1, mid + 1), (mid, 0), (mid + 1, side - 1)):
        assert alpha.getpixel((x, y)) == 255, f"edge or middle ({x},{y}) of radius {radius}"
    assert set(image.getchannel("R").getdata()) == {255}  # white: the Color tints it
    # Symmetric, so Kivy's bottom-up texture rows need no flip.
    assert image.transpose(0).tobytes() == image.tobytes()
    assert image.transpose(1).tobytes() == image.tobytes()


def test_the_corner_is_smooth_not_stepped():
    """Drawn larger and scaled down: the curve has partly covered pixels."""
    alpha = corner_image(12).getchannel("A")
    partial = [a for a in alpha.getdata() if 0 < a < 255]
    assert len(partial) >= 4 * 6
