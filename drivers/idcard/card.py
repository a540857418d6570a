"""The card data a GA 467 reader returns, and the GB 11643 check digit.

Pure, no I/O. Import these through ``drivers.idcard.protocol``. The text block
layouts of the four card types are in ``textblock``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

TEXT_SIZE = 256
PHOTO_SIZE = 1024  # WLT, raw: decoding it needs a vendor library (see ``photo``)
LONG_TERM = "长期"  # valid_to of a card that does not expire

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_DIGITS = frozenset("0123456789")


class ProtocolError(ValueError):
    """Bytes that do not follow the protocol, or card data that cannot be right."""


class CardType(StrEnum):
    """What the type flag at byte 248 of the text block says."""

    RESIDENT = "resident"  # 居民身份证: flag blank
    HMT_PERMIT = "hmt_permit"  # 港澳台居民居住证: 'J'
    FOREIGN_OLD = "foreign_permanent_old"  # 外国人永久居留证 (before 2023): 'I'
    FOREIGN_2023 = "foreign_permanent_2023"  # 外国人永久居留身份证 (2023): 'Y'

    @property
    def flag(self) -> str:
        return _FLAGS[self]


_FLAGS = {
    CardType.RESIDENT: " ",
    CardType.HMT_PERMIT: "J",
    CardType.FOREIGN_OLD: "I",
    CardType.FOREIGN_2023: "Y",
}


@dataclass(frozen=True, repr=False)
class IdCard:
    """One card's data. The first nine fields are those of the resident card; the
    others default to empty and are set by the layouts that carry them.

    name is the Chinese name (it may be empty on a foreigner's card: see
    ``display_name``); id_number is the card number on an 'I' card (15 characters).
    """

    name: str
    sex: str  # "1" male, "2" female
    nation: str  # 2-digit code, e.g. "01"; empty on permits
    birth: str  # YYYYMMDD
    address: str  # empty on foreigners' cards
    id_number: str
    authority: str  # the issuing authority; its 4-character code on an 'I' card
    valid_from: str  # YYYYMMDD
    valid_to: str  # YYYYMMDD or LONG_TERM
    photo: bytes = bytes(PHOTO_SIZE)
    card_type: CardType = CardType.RESIDENT
    english_name: str = ""  # 'I', 'Y'
    nationality: str = ""  # 'I', 'Y': ISO 3166-1 alpha-3
    pass_number: str = ""  # 'J': the travel permit's number
    issue_count: str = ""  # 'J': how many times the permit was issued (2 digits)
    renewal_count: str = ""  # 'Y': how many times the card was renewed (2 digits)
    card_version: str = ""  # 'I'
    old_card_link: str = ""  # 'Y': links to the holder's old 'I' card number

    @property
    def display_name(self) -> str:
        return self.name or self.english_name

    def __repr__(self) -> str:
        # Cards end up in logs and tracebacks: show nothing that identifies a person.
        return f"IdCard({self.card_type.value}, <personal data masked>, photo={len(self.photo)} B)"


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
