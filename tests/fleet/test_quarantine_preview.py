"""The quarantine's preview of a terminal's bytes (fleet/queries.py printable)."""

from __future__ import annotations

from fleet.queries import printable


def test_readable_text_is_shown_as_it_came():
    assert printable('{"site": "北京-1"} <b>'.encode()) == '{"site": "北京-1"} <b>'


def test_what_could_hide_or_mislead_is_escaped():
    assert printable(b"a\x00b\x1b[2J\n\t") == "a\\x00b\\x1b[2J\\n\\t"
    assert printable("x\u202ey\u200b".encode()) == "x\\u202ey\\u200b"  # bidi, zero width
    assert printable(b"\xff\xfe\xe2\x80") == "\\xff\\xfe\\xe2\\x80"  # not UTF-8, cut short
    assert printable("\U000e0041".encode()) == "\\U000e0041"  # a tag character


def test_a_backslash_is_escaped_so_an_escape_cannot_be_forged():
    assert printable(b"\\x00") == "\\\\x00"
    assert printable(b"\\x00") != printable(b"\x00")
