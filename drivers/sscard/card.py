"""The social security card's data: EF05/EF06 fields and their encodings (pure, no I/O).

Import these through ``drivers.sscard.protocol``. Encodings (devices.md section 2):
dates are 4-byte BCD, the birthplace 3-byte BCD padded with FF, the name GBK padded
with 00, numbers ASCII; the card identifier is 16 binary bytes shown as 32 hex digits
(its first six are the issuing region's code). Sex and nation are one byte each; the
spec does not pin their encoding, so both ASCII digits and BCD are accepted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

_DIGITS = frozenset("0123456789")


class CardError(ValueError):
    """The sscard driver's error: bytes off the card that cannot be right, or a failed read."""


# (tag, field, size or None when the length varies, kind)
EF05_FIELDS = (
    (0x01, "card_id", 16, "hex"),
    (0x02, "card_type", 1, "text"),
    (0x03, "spec_version", 4, "text"),
    (0x04, "issuing_org", None, "gbk"),
    (0x05, "issue_date", 4, "date"),
    (0x06, "expiry_date", 4, "date"),
    (0x07, "card_number", 9, "text"),
)
EF06_FIELDS = (
    (0x08, "ssn", 18, "text"),
    (0x09, "name", 30, "gbk"),
    (0x0A, "sex", 1, "digit"),
    (0x0B, "nation", 1, "bcd"),
    (0x0C, "birthplace", 3, "bcd"),
    (0x0D, "birth_date", 4, "date"),
)
PERSONAL = frozenset({"card_id", "card_number", "ssn", "name", "sex", "nation", "birthplace",
                      "birth_date"})


@dataclass(frozen=True, repr=False)
class SocialSecurityCard:
    card_id: str  # 32 hex digits, region code first
    card_type: str
    spec_version: str  # e.g. "3.00"
    issuing_org: str
    issue_date: str  # YYYYMMDD
    expiry_date: str  # YYYYMMDD
    card_number: str  # 9 characters, printed on the card
    ssn: str  # social security number: the 18-character citizen ID number
    name: str
    sex: str  # "1" male, "2" female (GB/T 2261.1)
    nation: str  # 2-digit code, "01" = Han
    birthplace: str  # region code digits
    birth_date: str  # YYYYMMDD

    def __repr__(self) -> str:
        # Cards end up in logs and tracebacks: show nothing that identifies a person.
        return f"SocialSecurityCard(<personal data masked>, spec_version={self.spec_version!r})"

    @property
    def region(self) -> str:
        """The issuing region's code (first six digits of the card identifier)."""
        return self.card_id[:6]

    def as_dict(self, show_personal: bool = False) -> dict[str, str]:
        """Every field; personal ones masked unless show_personal (a diagnostic's choice)."""
        out = asdict(self)
        if not show_personal:
            for name in PERSONAL:
                out[name] = mask(out[name], name)
        return {"region": self.region, **out}


def mask(value: str, field: str = "") -> str:
    """Keep just enough to tell two cards apart on site: 张*例, 4403**********1234."""
    if not value:
        return value
    if field == "name":
        return value[0] + "*" * max(len(value) - 2, 1) + (value[-1] if len(value) > 2 else "")
    if field == "ssn" and len(value) == 18:
        return value[:6] + "*" * 8 + value[-4:]
    if field == "card_id":
        return value[:6] + "*" * (len(value) - 6)
    if len(value) > 4:
        return value[0] + "*" * (len(value) - 2) + value[-1]
    return "*" * len(value)


# --- field codecs --------------------------------------------------------------------------


def decode_field(kind: str, raw: bytes, name: str) -> str:
    # Messages name the field, never its value: they may reach a log.
    if kind == "hex":
        return raw.hex().upper()
    if kind == "date":
        return _date(_bcd(raw, name), name)
    if kind == "bcd":
        return _bcd(raw, name)
    if kind == "gbk":
        try:  # GB18030 decodes all of GBK, and a card issued with a 4-byte rare character
            return raw.rstrip(b"\x00\xff").decode("gb18030").strip()
        except UnicodeDecodeError:
            raise CardError(f"{name} is not valid GBK") from None
    if kind == "digit":
        return _digit(raw, name)
    text = raw.rstrip(b"\x00\xff").decode("ascii", errors="replace").strip()
    if not text.isprintable() or "\ufffd" in text:
        raise CardError(f"{name} is not printable ASCII")
    return text


def _bcd(raw: bytes, name: str) -> str:
    digits = raw.hex().upper().rstrip("F")
    if not set(digits) <= _DIGITS:
        raise CardError(f"{name} is not BCD")
    return digits


def _date(digits: str, name: str) -> str:
    if digits in ("", "00000000"):
        return ""
    if len(digits) != 8 or not (1 <= int(digits[4:6]) <= 12 and 1 <= int(digits[6:]) <= 31):
        raise CardError(f"{name} is not a YYYYMMDD date")
    return digits


def _digit(raw: bytes, name: str) -> str:
    if len(raw) == 1 and 0x30 <= raw[0] <= 0x39:
        return chr(raw[0])  # ASCII digit
    if len(raw) == 1 and raw[0] <= 9:
        return str(raw[0])  # BCD / binary
    raise CardError(f"{name} is not one digit")


def encode_field(kind: str, value: str, size: int | None) -> bytes:
    """The card's bytes for a field (the simulator's side); ValueError if it cannot fit."""
    if kind == "hex":
        raw = bytes.fromhex(value)
    elif kind in ("date", "bcd"):
        digits = value + "F" * (len(value) % 2)
        raw = bytes.fromhex(digits)
        if size:
            raw += b"\xff" * (size - len(raw))
    elif kind == "gbk":
        try:
            raw = value.encode("gbk")
        except UnicodeEncodeError:
            raw = value.encode("gb18030")  # a rare character GBK lacks: 4 bytes
        raw += b"\x00" * ((size or 0) - len(raw))
    else:
        raw = value.encode("ascii")
        raw += b"\x00" * ((size or 0) - len(raw))
    if size is not None and len(raw) != size:
        raise ValueError(f"field does not fit {size} bytes")
    return raw


def card_from_records(records: dict[int, bytes]) -> SocialSecurityCard:
    """Build the card from the values of records 01..0D (tag -> value)."""
    values = {}
    for tag, name, _size, kind in EF05_FIELDS + EF06_FIELDS:
        if tag not in records:
            raise CardError(f"record {tag:02X} ({name}) is missing")
        values[name] = decode_field(kind, records[tag], name)
    if not values["name"]:
        raise CardError("name is empty")
    if len(values["ssn"]) != 18:
        raise CardError("social security number is not 18 characters")
    return SocialSecurityCard(**values)


def card_to_records(card: SocialSecurityCard) -> dict[int, bytes]:
    """The record values a card holds for these fields (tag -> value)."""
    names = {f.name for f in fields(card)}
    out = {}
    for tag, name, size, kind in EF05_FIELDS + EF06_FIELDS:
        assert name in names
        out[tag] = encode_field(kind, getattr(card, name), size)
    return out
