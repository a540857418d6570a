"""The card photo: 1024 raw bytes of WLT, decoded only by a pluggable decoder.

WLT is a proprietary wavelet format; only the SAM vendors' libraries (libwlt2bmp
and the like, 102x126 BGR) decode it, and the project ships none of them. A site
that has a licensed decoder wraps it in a class with ``decode`` and passes it in;
everyone else gets ``NoPhotoDecoder`` and the raw bytes stay on the card record.
"""

from __future__ import annotations

import logging
from typing import Protocol, runtime_checkable

from PIL.Image import Image

from drivers.idcard.card import IdCard

log = logging.getLogger(__name__)

PHOTO_WIDTH, PHOTO_HEIGHT = 102, 126  # what the vendor decoders produce


@runtime_checkable
class PhotoDecoder(Protocol):
    def decode(self, wlt: bytes) -> Image | None:
        """The photo as an image, or None if this decoder cannot decode it."""
        ...


class NoPhotoDecoder:
    """The default: no vendor library, no image."""

    def decode(self, wlt: bytes) -> Image | None:
        return None


def decode_photo(card: IdCard, decoder: PhotoDecoder | None = None) -> Image | None:
    """The card's photo through ``decoder``; None if there is none or decoding fails.

    A vendor decoder is foreign code: whatever it raises is logged by type only
    (never with the bytes) and reads as "no photo", so it cannot break a read.
    """
    if decoder is None or not any(card.photo):
        return None
    try:
        return decoder.decode(card.photo)
    except Exception as e:
        log.warning("photo decoder %s raised %s", type(decoder).__name__, type(e).__name__)
        return None
