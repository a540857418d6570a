"""The 256-byte text block of the four card types (UCS-2LE, padded with 20 00).

Pure functions, no I/O. Import these through ``drivers.idcard.protocol``. The type
flag at byte 248 picks the layout (offsets from devices.md section 1).
"""

from __future__ import annotations

from drivers.idcard.card import (
    LONG_TERM,
    TEXT_SIZE,
    CardType,
    IdCard,
    ProtocolError,
    is_valid_id_number,
)

_PAD = " "
_FLAG = slice(248, 250)
_BASE = ("name", "sex", "nation", "birth", "address", "id_number", "authority",
         "valid_from", "valid_to")  # fmt: skip

# (field, first byte, end byte). "english_name" on a 'Y' card spans two ranges.
_RESIDENT = (
    ("name", 0, 30), ("sex", 30, 32), ("nation", 32, 36), ("birth", 36, 52),
    ("address", 52, 122), ("id_number", 122, 158), ("authority", 158, 188),
    ("valid_from", 188, 204), ("valid_to", 204, 220),
)  # fmt: skip
_LAYOUTS = {
    CardType.RESIDENT: _RESIDENT,
    CardType.HMT_PERMIT: (*_RESIDENT, ("pass_number", 220, 238), ("issue_count", 238, 242)),
    CardType.FOREIGN_OLD: (
        ("english_name", 0, 120), ("sex", 120, 122), ("id_number", 122, 152),
        ("nationality", 152, 158), ("name", 158, 188), ("valid_from", 188, 204),
        ("valid_to", 204, 220), ("birth", 220, 236), ("card_version", 236, 240),
        ("authority", 240, 248),
    ),
    # 158-187 is not in the spec's list for 'Y'; it is the authority on the other
    # layouts and read as such here.
    CardType.FOREIGN_2023: (
        ("name", 0, 30), ("sex", 30, 32), ("renewal_count", 32, 36), ("birth", 36, 52),
        ("english_name", 52, 122), ("id_number", 122, 158), ("authority", 158, 188),
        ("valid_from", 188, 204), ("valid_to", 204, 220), ("english_name", 220, 242),
        ("nationality", 242, 248), ("old_card_link", 250, 256),
    ),
}  # fmt: skip
_BY_FLAG = {t.flag.encode("utf-16-le"): t for t in CardType} | {b"\x00\x00": CardType.RESIDENT}
_DIGITS = frozenset("0123456789")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def encode_text_block(card: IdCard) -> bytes:
    """The 256-byte UCS-2LE text block; ProtocolError if a field does not fit."""
    if card.card_type is CardType.FOREIGN_2023 and len(card.english_name) > 46:
        raise ProtocolError("english_name is longer than 46 characters")  # 35 + 11
    block = bytearray(_PAD.encode("utf-16-le") * (TEXT_SIZE // 2))
    rest: dict[str, str] = {}  # what is left of a field split over two ranges
    for name, start, end in _LAYOUTS[card.card_type]:
        value = rest.pop(name, None)
        if value is None:
            value = getattr(card, name)
            if name == "english_name" and card.card_type is CardType.FOREIGN_2023:
                value, rest[name] = value[: (end - start) // 2], value[(end - start) // 2 :]
        raw = value.encode("utf-16-le")
        if len(raw) != 2 * len(value):
            raise ProtocolError(f"{name} has characters outside UCS-2")
        if len(raw) > end - start:
            raise ProtocolError(f"{name} is longer than {(end - start) // 2} characters")
        block[start : start + len(raw)] = raw
    block[_FLAG] = card.card_type.flag.encode("utf-16-le")
    return bytes(block)


def decode_text_block(block: bytes) -> dict[str, str | CardType]:
    """The IdCard fields (all but the photo) that a text block holds.

    For a resident card: the nine resident fields. For the others: every IdCard
    field but the photo, card_type included. Raises ProtocolError on a wrong size,
    an unknown card type, or data a real card cannot hold (bad check digit,
    malformed date), which is how a garbled read shows.
    """
    if len(block) != TEXT_SIZE:
        raise ProtocolError(f"text block is {len(block)} bytes, expected {TEXT_SIZE}")
    card_type = _BY_FLAG.get(bytes(block[_FLAG]))
    if card_type is None:
        raise ProtocolError(f"card type {bytes(block[248:249])!r} is unknown")
    raw: dict[str, str] = {}
    for name, start, end in _LAYOUTS[card_type]:
        text = _text(block[start:end], name)
        raw[name] = raw.get(name, "") + text  # the two halves of a 'Y' English name
    fields = {name: value.rstrip(" \x00") for name, value in raw.items()}
    _CHECKS[card_type](fields)
    if card_type is CardType.RESIDENT:
        return dict(fields)
    return {**dict.fromkeys(_BASE, ""), **fields, "card_type": card_type}


def _text(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-16-le")
    except UnicodeDecodeError:
        raise ProtocolError(f"{name} is not valid UCS-2") from None


# --- what a real card can hold. Messages name the field, never its value: they may
# reach a log. -------------------------------------------------------------------------


def _is_date(s: str) -> bool:
    return len(s) == 8 and set(s) <= _DIGITS


def _common(f: dict[str, str]) -> None:
    if f["sex"] not in ("1", "2"):
        raise ProtocolError("sex code is not 1 or 2")
    for name in ("birth", "valid_from"):
        if not _is_date(f[name]):
            raise ProtocolError(f"{name} is not YYYYMMDD")
    if f["valid_to"] != LONG_TERM and not _is_date(f["valid_to"]):
        raise ProtocolError("valid_to is neither YYYYMMDD nor 长期")


def _need(f: dict[str, str], name: str) -> None:
    if not f[name]:
        raise ProtocolError(f"{name} is empty")


def _digits(f: dict[str, str], name: str, count: int) -> None:
    if len(f[name]) != count or not set(f[name]) <= _DIGITS:
        raise ProtocolError(f"{name} is not {count} digits")


def _gb11643(f: dict[str, str], first: str = "") -> None:
    if not is_valid_id_number(f["id_number"]) or not f["id_number"].startswith(first):
        raise ProtocolError("ID number fails the GB 11643 check")


def _country(f: dict[str, str]) -> None:
    if len(f["nationality"]) != 3 or not set(f["nationality"]) <= _UPPER:
        raise ProtocolError("nationality is not a 3-letter code")


def _check_resident(f: dict[str, str]) -> None:
    _need(f, "name")
    _common(f)
    _digits(f, "nation", 2)
    _gb11643(f)


def _check_hmt(f: dict[str, str]) -> None:
    _need(f, "name")
    _common(f)
    if f["nation"]:
        raise ProtocolError("nation is not empty on a residence permit")
    _gb11643(f)
    _need(f, "pass_number")
    if not (f["pass_number"].isascii() and f["pass_number"].isalnum()):
        raise ProtocolError("pass_number is not letters and digits")
    _digits(f, "issue_count", 2)


def _check_foreign_old(f: dict[str, str]) -> None:
    _need(f, "english_name")
    _common(f)
    number = f["id_number"]
    if len(number) != 15 or not (number.isascii() and number.isalnum()):
        raise ProtocolError("card number is not 15 letters and digits")
    _country(f)


def _check_foreign_2023(f: dict[str, str]) -> None:
    _need(f, "english_name")
    _common(f)
    _digits(f, "renewal_count", 2)
    _gb11643(f, first="9")
    _country(f)


_CHECKS = {
    CardType.RESIDENT: _check_resident,
    CardType.HMT_PERMIT: _check_hmt,
    CardType.FOREIGN_OLD: _check_foreign_old,
    CardType.FOREIGN_2023: _check_foreign_2023,
}
