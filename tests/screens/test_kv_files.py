"""Each screen's .kv is parsed when the screen is first built (screens/__init__.py), so
its rules must serve that screen alone: a rule another screen used would be missing,
or silently unstyled, whenever that screen came first. Shared rules go in base.kv or a
file of their own (keypad.kv), which load at start-up. No Kivy needed: the files' text."""

from __future__ import annotations

import re
from pathlib import Path

SCREENS = Path(__file__).resolve().parents[2] / "screens"
RULE = re.compile(r"^<([A-Za-z_][A-Za-z0-9_]*)(?:@[^>]*)?>:", re.MULTILINE)


def rules(kv: Path) -> list[str]:
    return RULE.findall(kv.read_text(encoding="utf-8"))


def screen_files() -> dict[Path, str]:
    """A screen's .kv and the screen class it styles (the rule named ...Screen)."""
    found = {}
    for kv in sorted(SCREENS.glob("*.kv")):
        screens = [name for name in rules(kv) if name.endswith("Screen")]
        assert len(screens) <= 1, f"{kv.name}: one screen per .kv file, found {screens}"
        if screens:
            found[kv] = screens[0]
    return found


def test_a_screens_kv_has_the_name_of_the_module_of_its_class():
    assert len(screen_files()) >= 14
    for kv, screen in screen_files().items():
        module = kv.with_suffix(".py")
        assert module.is_file() and re.search(rf"^class {screen}\b", module.read_text(),
                                              re.MULTILINE), f"{screen} not in {module.name}"


def test_rules_in_a_screens_kv_serve_that_screen_only():
    sources = sorted(SCREENS.glob("*.kv")) + sorted(SCREENS.glob("*.py"))
    texts = {path: path.read_text(encoding="utf-8") for path in sources}
    for kv, screen in screen_files().items():
        own = {kv, kv.with_suffix(".py")}
        for name in set(rules(kv)) - {screen}:  # the screen class is listed in __init__.py
            users = [p.name for p, text in texts.items()
                     if p not in own and re.search(rf"\b{name}\b", text)]
            assert users == [], f"{name} (in {kv.name}) is used by {users}: move it to a " \
                                f"shared .kv"


def test_the_check_sees_a_shared_rule(tmp_path):
    """The pattern finds plain and dynamic-class rules, not properties or canvases."""
    kv = tmp_path / "x.kv"
    kv.write_text("<Row@BoxLayout>:\n    size_hint_y: None\n<XScreen>:\n    canvas:\n")
    assert rules(kv) == ["Row", "XScreen"]
