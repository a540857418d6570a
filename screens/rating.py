from __future__ import annotations

from screens.base import KioskScreen


class RatingScreen(KioskScreen):
    """Five levels, 非常满意 to 非常不满意 (好差评)."""
