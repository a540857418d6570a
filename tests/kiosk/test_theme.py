"""Elder mode's palette is really high contrast: every text/background pair the screens
draw reaches WCAG AAA (7:1); the normal palette reaches AA (4.5:1)."""

from __future__ import annotations

import pytest

from kiosk.theme import AA, AAA, ELDER, NORMAL, contrast, palette, scale, weakest_pairs


def test_contrast_matches_the_wcag_reference_values():
    assert contrast((0, 0, 0, 1), (1, 1, 1, 1)) == pytest.approx(21.0)
    assert contrast((1, 1, 1, 1), (1, 1, 1, 1)) == pytest.approx(1.0)
    # #767676 on white is the classic "just AA" grey: 4.54:1.
    grey = (0x76 / 255,) * 3 + (1,)
    assert contrast(grey, (1, 1, 1, 1)) == pytest.approx(4.54, abs=0.01)


def test_elder_palette_reaches_aaa_on_every_text_pair():
    assert weakest_pairs(ELDER, AAA) == []


def test_normal_palette_reaches_aa_on_every_text_pair():
    assert weakest_pairs(NORMAL, AA) == []


def test_a_low_contrast_pair_is_reported():
    washed = NORMAL.__class__(**{**NORMAL.__dict__, "muted": (0.8, 0.8, 0.8, 1)})
    assert ("muted", "surface") in [(t, b) for t, b, _r in weakest_pairs(washed, AA)]


def test_elder_mode_is_larger_and_the_other_palette():
    assert scale(True) > scale(False) == 1.0
    assert palette(True) is ELDER and palette(False) is NORMAL
