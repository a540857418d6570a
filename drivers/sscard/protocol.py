"""Social security card (社会保障卡) APDUs, TLV records and the T=0 exchange (pure, no I/O).

Commands are short ISO 7816-4 APDUs. EF05 (issuer data) and EF06 (holder data) hold
one TLV record per field (``tag len value``), read by identifier with READ RECORD.
The card data itself lives in ``card``; its public names are re-exported here so
callers need one import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Re-exported (the "as" form), so callers import everything from here.
from drivers.sscard.card import EF05_FIELDS as EF05_FIELDS
from drivers.sscard.card import EF06_FIELDS as EF06_FIELDS
from drivers.sscard.card import CardError as CardError
from drivers.sscard.card import SocialSecurityCard as SocialSecurityCard
from drivers.sscard.card import card_from_records as card_from_records
from drivers.sscard.card import card_to_records as card_to_records

SSSE_NAME = "sx1.sh.社会保障".encode("gbk")  # the SSSE application's DF name
EF05, EF06 = 0xEF05, 0xEF06

INS_SELECT, INS_READ_RECORD, INS_GET_RESPONSE = 0xA4, 0xB2, 0xC0
SW_OK = 0x9000
SW1_MORE_DATA = 0x61  # T=0: xx bytes wait for GET RESPONSE
SW1_WRONG_LE = 0x6C  # T=0: resend with Le = xx
MAX_T0_ROUNDS = 16  # a card that keeps answering 61xx/6Cxx is broken, not slow

SW_MESSAGES = {
    0x6700: "wrong length",
    0x6982: "security status not satisfied",
    0x6985: "conditions of use not satisfied",
    0x6986: "no current file",
    0x6A81: "function not supported",
    0x6A82: "file not found",
    0x6A83: "record not found",
    0x6A86: "wrong P1/P2",
    0x6B00: "wrong parameters",
    0x6D00: "instruction not supported",
    0x6E00: "class not supported",
}


class ProtocolError(CardError):
    """An APDU or reply that does not follow ISO 7816-4 (garbled, truncated, looping)."""


# --- commands ------------------------------------------------------------------------------


def select_by_name(name: bytes = SSSE_NAME) -> bytes:
    """SELECT by DF name, e.g. the SSSE application (case 3: a T=0 card answers 61xx)."""
    if not 1 <= len(name) <= 16:
        raise ValueError("a DF name is 1..16 bytes")
    return bytes([0x00, INS_SELECT, 0x04, 0x00, len(name)]) + name


def select_file(fid: int) -> bytes:
    """SELECT an elementary file by its 2-byte identifier, e.g. EF05."""
    if not 0 <= fid <= 0xFFFF:
        raise ValueError("a file identifier is 2 bytes")
    return bytes([0x00, INS_SELECT, 0x02, 0x00, 0x02, fid >> 8, fid & 0xFF])


def read_record(tag: int, le: int) -> bytes:
    """READ RECORD by identifier in the current EF: ``00 B2 <tag> 00 <Le>`` (Le 0 = 256)."""
    _byte(tag, "tag")
    return bytes([0x00, INS_READ_RECORD, tag, 0x00, _byte(le % 256, "Le")])


def read_record_sfi(sfi: int, record: int, le: int) -> bytes:
    """READ RECORD by number in a short file, no SELECT: SFI 5 record 7 is ``00 B2 07 2C``."""
    if not 1 <= sfi <= 30:
        raise ValueError("an SFI is 1..30")
    return bytes([0x00, INS_READ_RECORD, _byte(record, "record"), (sfi << 3) | 0x04, le % 256])


def get_response(le: int) -> bytes:
    return bytes([0x00, INS_GET_RESPONSE, 0x00, 0x00, _byte(le % 256, "Le")])


def _byte(v: int, what: str) -> int:
    if not 0 <= v <= 0xFF:
        raise ValueError(f"{what} must fit one byte")
    return v


@dataclass(frozen=True)
class Command:
    """A short command APDU as the card sees it. ``le`` None: no data expected (case 1/3)."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None


def parse_command(apdu: bytes) -> Command:
    """Split a short APDU into its parts (the card's side); ProtocolError if malformed."""
    if len(apdu) < 4:
        raise ProtocolError(f"APDU of {len(apdu)} bytes is shorter than its header")
    cla, ins, p1, p2 = apdu[:4]
    body = apdu[4:]
    if not body:
        return Command(cla, ins, p1, p2)
    p3 = body[0]
    if len(body) == 1:
        return Command(cla, ins, p1, p2, le=p3 or 256)
    if p3 == 0 or len(body) not in (1 + p3, 2 + p3):
        raise ProtocolError(f"APDU body of {len(body)} bytes does not match Lc {p3}")
    le = (body[-1] or 256) if len(body) == 2 + p3 else None
    return Command(cla, ins, p1, p2, bytes(body[1 : 1 + p3]), le)


# --- replies -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    @property
    def message(self) -> str:
        return sw_message(self.sw)


def parse_response(raw: bytes) -> Response:
    if len(raw) < 2:
        raise ProtocolError(f"reply of {len(raw)} bytes has no status word")
    return Response(bytes(raw[:-2]), (raw[-2] << 8) | raw[-1])


def sw_message(sw: int) -> str:
    if sw == SW_OK:
        return "ok"
    if sw >> 8 == SW1_MORE_DATA:
        return f"{sw & 0xFF} bytes waiting"
    if sw >> 8 == SW1_WRONG_LE:
        return f"wrong Le, expected {sw & 0xFF}"
    return SW_MESSAGES.get(sw, f"status {sw:04X}")


def encode_response(data: bytes, sw: int) -> bytes:
    return bytes(data) + bytes([sw >> 8, sw & 0xFF])


def exchange(transmit: Callable[[bytes], bytes], apdu: bytes) -> Response:
    """Send apdu the T=0 way: 6Cxx resends with Le=xx, 61xx fetches with GET RESPONSE.

    ``transmit`` sends one APDU and returns the raw reply (data + SW1 SW2). Data from
    chained GET RESPONSEs is concatenated. A card that never settles raises ProtocolError.
    """
    data = bytearray()
    for _ in range(MAX_T0_ROUNDS):
        reply = parse_response(transmit(apdu))
        sw1 = reply.sw >> 8
        if sw1 == SW1_WRONG_LE and len(apdu) == 5:  # only case 2 carries a bare Le to fix
            apdu = apdu[:4] + bytes([reply.sw & 0xFF])
            continue
        data += reply.data
        if sw1 == SW1_MORE_DATA:
            apdu = get_response(reply.sw & 0xFF)
            continue
        return Response(bytes(data), reply.sw)
    raise ProtocolError(f"card still answering 61xx/6Cxx after {MAX_T0_ROUNDS} rounds")


# --- TLV records ---------------------------------------------------------------------------


def encode_tlv(tag: int, value: bytes) -> bytes:
    if len(value) > 0xFF:
        raise ValueError("a record value is at most 255 bytes")
    head = bytes([tag, len(value)]) if len(value) < 0x80 else bytes([tag, 0x81, len(value)])
    return head + value


def parse_tlv(data: bytes) -> list[tuple[int, bytes]]:
    """``tag len value`` items (1-byte tags; length short form or 81 xx); trailing 00/FF skip."""
    items, pos = [], 0
    while pos < len(data):
        tag = data[pos]
        if tag in (0x00, 0xFF) and not data[pos:].strip(bytes([tag])):
            break  # padding to the end of the record
        if pos + 2 > len(data):
            raise ProtocolError(f"TLV item at {pos} has no length")
        size, pos = data[pos + 1], pos + 2
        if size == 0x81:
            if pos >= len(data):
                raise ProtocolError("TLV long length is truncated")
            size, pos = data[pos], pos + 1
        elif size > 0x80:
            raise ProtocolError(f"TLV length form 0x{size:02X} is not supported")
        if pos + size > len(data):
            raise ProtocolError(f"TLV item {tag:02X} claims {size} bytes, {len(data) - pos} left")
        items.append((tag, bytes(data[pos : pos + size])))
        pos += size
    return items


def record_value(data: bytes, tag: int) -> bytes:
    """The value of the record read by identifier ``tag``; ProtocolError if it is another."""
    items = parse_tlv(data)
    if not items or items[0][0] != tag:
        raise ProtocolError(f"record {tag:02X} came back as {items[0][0]:02X}" if items
                            else f"record {tag:02X} came back empty")
    return items[0][1]


# --- the read sequence ---------------------------------------------------------------------


def read_card(transmit: Callable[[bytes], bytes]) -> SocialSecurityCard:
    """SELECT the SSSE application, then read EF05 and EF06 record by record.

    Le is the record's known size (tag + length + value); where the size varies, Le 0
    lets the card name it with 6Cxx. Raises CardError (ProtocolError for garbled
    replies); whatever ``transmit`` raises passes through.
    """
    reply = exchange(transmit, select_by_name())
    if not reply.ok:
        raise CardError(f"not a social security card: SELECT answered {reply.message}")
    records: dict[int, bytes] = {}
    for fid, spec in ((EF05, EF05_FIELDS), (EF06, EF06_FIELDS)):
        reply = exchange(transmit, select_file(fid))
        if not reply.ok:
            raise CardError(f"SELECT {fid:04X} answered {reply.message}")
        for tag, _name, size, _kind in spec:
            reply = exchange(transmit, read_record(tag, size + 2 if size else 0))
            if not reply.ok:
                raise CardError(f"READ RECORD {tag:02X} answered {reply.message}")
            records[tag] = record_value(reply.data, tag)
    return card_from_records(records)
