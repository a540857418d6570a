"""The resident ID card's data: the 256-byte text block and the GB 11643 check digit.

Pure functions, no I/O. Import these through ``drivers.idcard.protocol``.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT_SIZE = 256
PHOTO_SIZE = 1024  # WLT, raw: decoding it needs a vendor library
LONG_TERM = "长期"  # valid_to of a card that does not expire
_PAD = " "  # the block is padded with 20 00
_TYPE_FLAG = slice(248, 250)  # blank on a resident card; 'J', 'I', 'Y' for permits

# (field, first byte, end byte) in the text block, UCS-2LE.
_FIELDS = (
    ("name", 0, 30),
    ("sex", 30, 32),
    ("nation", 32, 36),
    ("birth", 36, 52),
    ("address", 52, 122),
    ("id_number", 122, 158),
    ("authority", 158, 188),
    ("valid_from", 188, 204),
    ("valid_to", 204, 220),
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_DIGITS = frozenset("0123456789")


class ProtocolError(ValueError):
    """Bytes that do not follow the protocol, or card data that cannot be right."""


@dataclass(frozen=True, repr=False)
class IdCard:
    name: str
    sex: str  # "1" male, "2" female
    nation: str  # 2-digit code, e.g. "01"
    birth: str  # YYYYMMDD
    address: str
    id_number: str
    authority: str
    valid_from: str  # YYYYMMDD
    valid_to: str  # YYYYMMDD or LONG_TERM
    photo: bytes = bytes(PHOTO_SIZE)

    def __repr__(self) -> str:
        # Cards end up in logs and tracebacks: show nothing that identifies a person.
        return f"IdCard(<personal data masked>, photo={len(self.photo)} B)"


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not set(first17) <= _DIGITS:
        raise ValueError("need exactly 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def is_valid_id_number(s: str) -> bool:
    """18 characters, 17 digits and the right check character (upper-case X)."""
    if len(s) != 18 or not set(s[:17]) <= _DIGITS:
        return False
    return id_check_digit(s[:17]) == s[17]


def encode_text_block(card: IdCard) -> bytes:
    """The 256-byte UCS-2LE text block; ProtocolError if a field does not fit."""
    block = bytearray(_PAD.encode("utf-16-le") * (TEXT_SIZE // 2))
    for name, start, end in _FIELDS:
        value: str = getattr(card, name)
        raw = value.encode("utf-16-le")
        if len(raw) != 2 * len(value):
            raise ProtocolError(f"{name} has characters outside UCS-2")
        if len(raw) > end - start:
            raise ProtocolError(f"{name} is longer than {(end - start) // 2} characters")
        block[start : start + len(raw)] = raw
    return bytes(block)


def decode_text_block(block: bytes) -> dict[str, str]:
    """The IdCard fields (all but the photo) of a resident card's text block.

    Raises ProtocolError on a wrong size, another card type, or data a real card
    cannot hold (bad check digit, malformed date), which is how a garbled read shows.
    """
    if len(block) != TEXT_SIZE:
        raise ProtocolError(f"text block is {len(block)} bytes, expected {TEXT_SIZE}")
    flag = bytes(block[_TYPE_FLAG])
    if flag not in (b" \x00", b"\x00\x00"):
        raise ProtocolError(f"card type {flag[:1]!r} is not supported yet")
    fields = {name: _text(block[start:end], name) for name, start, end in _FIELDS}
    _check(fields)
    return fields


def _text(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-16-le").rstrip(" \x00")
    except UnicodeDecodeError:
        raise ProtocolError(f"{name} is not valid UCS-2") from None


def _is_date(s: str) -> bool:
    return len(s) == 8 and set(s) <= _DIGITS


def _check(f: dict[str, str]) -> None:
    # Messages name the field, never its value: they may reach a log.
    if not f["name"]:
        raise ProtocolError("name is empty")
    if f["sex"] not in ("1", "2"):
        raise ProtocolError("sex code is not 1 or 2")
    if len(f["nation"]) != 2 or not set(f["nation"]) <= _DIGITS:
        raise ProtocolError("nation code is not 2 digits")
    for name in ("birth", "valid_from"):
        if not _is_date(f[name]):
            raise ProtocolError(f"{name} is not YYYYMMDD")
    if f["valid_to"] != LONG_TERM and not _is_date(f["valid_to"]):
        raise ProtocolError("valid_to is neither YYYYMMDD nor 长期")
    if not is_valid_id_number(f["id_number"]):
        raise ProtocolError("ID number fails the GB 11643 check")
