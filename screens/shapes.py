"""``RoundedBox``: a rounded box drawn as a stretched 9-slice image, for the .kv files.

Kivy's RoundedRectangle is a fan of long, thin triangles from its centre to its
rounded edge. A software renderer (Mesa's llvmpipe: a kiosk PC without a GPU, and
CI) pays for every triangle in every 64-pixel tile it crosses: a screenful of list
rows cost 2.5 times more drawn that way than as nine axis-aligned quads stretching a
small image of a white rounded square (Kivy's own buttons are drawn so). The look is
the same: corners of the given radius, tinted by the Color before it.

    RoundedBox:
        pos: self.pos
        size: self.size
        radius: 12 * app.u
"""

from __future__ import annotations

from functools import cache

from kivy.factory import Factory
from kivy.graphics import BorderImage
from kivy.graphics.texture import Texture
from PIL import Image, ImageDraw

SUPERSAMPLE = 4  # corners drawn 4x larger, then scaled down: smooth edges


@cache
def corner_image(radius: int) -> Image.Image:
    """A white square with rounded corners of ``radius`` px and a 2-px flat middle.

    White everywhere, the shape in the alpha only: a texture filtered between a clear
    and an opaque pixel then fades the edge, never darkens it."""
    side = 2 * radius + 2
    mask = Image.new("L", (side * SUPERSAMPLE,) * 2, 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, side * SUPERSAMPLE - 1, side * SUPERSAMPLE - 1),
        radius=radius * SUPERSAMPLE, fill=255)
    image = Image.new("RGBA", (side, side), (255, 255, 255, 255))
    image.putalpha(mask.resize((side, side), Image.BOX))  # each pixel: the share covered
    return image


@cache
def corner_texture(radius: int) -> Texture:
    image = corner_image(radius)
    texture = Texture.create(size=image.size, colorfmt="rgba")
    # Kivy's textures start at the bottom row; the image is symmetric, so no flip.
    texture.blit_buffer(image.tobytes(), colorfmt="rgba", bufferfmt="ubyte")
    return texture


class RoundedBox(BorderImage):
    """A RoundedRectangle with one radius, drawn as a 9-slice ``BorderImage``."""

    def __init__(self, radius: float = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.radius = radius

    @property
    def radius(self) -> float:
        return self._radius

    @radius.setter
    def radius(self, value: float) -> None:
        self._radius = value
        px = max(1, round(value))
        self.texture = corner_texture(px)
        self.border = (px, px, px, px)


Factory.register("RoundedBox", cls=RoundedBox)
