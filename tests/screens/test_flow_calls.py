"""A screen's buttons call its department's flow as ``root.flow.<method>()`` and its own
methods as ``root.<method>(...)``: every such name in a screen's rule must exist on the
flow class (``flow_type``) or the screen class, so a typo fails here, not when a citizen
touches the button. Checked for every screen the registry knows, from the .kv text."""

from __future__ import annotations

import itertools
import re

import pytest

from screens import SCREENS, screen_kv

FLOW_CALL = re.compile(r"\broot\.flow\.([A-Za-z_]\w*)")
OWN_CALL = re.compile(r"\broot\.([A-Za-z_]\w*)\(")
RULE = re.compile(r"^<([A-Za-z_]\w*)(?:@[^>]*)?>:", re.MULTILINE)


def screen_rule(cls: type) -> str:
    """The text of ``<ClassName>:`` in the screen's own .kv, up to the next rule."""
    kv = screen_kv(cls)
    if not kv.is_file():
        return ""
    text = kv.read_text(encoding="utf-8")
    starts = [(m.start(), m.group(1)) for m in RULE.finditer(text)] + [(len(text), "")]
    for (start, name), (end, _next) in itertools.pairwise(starts):
        if name == cls.__name__:
            return text[start:end]
    return ""


@pytest.mark.parametrize("name", sorted(SCREENS))
def test_every_call_in_a_screen_rule_names_something_that_exists(name):
    cls = SCREENS[name]
    rule = screen_rule(cls)
    flow_calls = set(FLOW_CALL.findall(rule))
    if flow_calls:
        assert cls.flow_type is not None, f"{name} calls root.flow but has no flow_type"
        missing = [m for m in flow_calls if not callable(getattr(cls.flow_type, m, None))]
        assert missing == [], f"{cls.flow_type.__name__} has no {missing}"
    own = [m for m in set(OWN_CALL.findall(rule)) - {"flow"} if not hasattr(cls, m)]
    assert own == [], f"{cls.__name__} has no {own}"


def test_a_misspelt_flow_call_is_caught():
    from kiosk.departments.social_security.flow import SocialSecurityFlow

    assert callable(getattr(SocialSecurityFlow, "contributions", None))
    assert getattr(SocialSecurityFlow, "contribution", None) is None  # what the check sees
