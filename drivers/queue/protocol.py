"""The queue-number device protocol (the project's own, docs/queue-protocol.md): pure, no I/O.

    02 | ADDR | SEQ | CMD | LEN_H LEN_L | DATA | 03 | CRC_L CRC_H

CRC-16/MODBUS (poly 0xA001 reflected, init 0xFFFF) over ADDR..ETX, low byte first.
A reply carries CMD|0x80, the request's ADDR and SEQ, and DATA[0] = a status.
Multi-byte numbers are big-endian; text is GB18030.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, IntFlag

STX, ETX = 0x02, 0x03
HEADER_SIZE = 6  # STX ADDR SEQ CMD LEN_H LEN_L
TRAILER_SIZE = 3  # ETX CRC_L CRC_H
MAX_DATA = 512  # longer is refused by both sides: a bound for the splitter
MAX_TEXT = 200  # bytes of GB18030 in show text / speak
REPLY = 0x80


class QueueProtocolError(ValueError):
    """Bytes that do not follow the protocol."""


class Cmd(IntEnum):
    TAKE_TICKET = 0x01  # business u8, priority u8 -> ticket text, waiting u16
    CALL = 0x10  # window u8, ticket text
    RECALL = 0x11  # window u8: announce the window's ticket again
    SKIP = 0x12  # window u8: the window's ticket did not come
    PAUSE = 0x13  # window u8
    RESUME = 0x14  # window u8
    SHOW_TEXT = 0x20  # line u8, effect u8, text
    SPEAK = 0x21  # text
    STATUS = 0x30  # -> flags u8, waiting u16 (all businesses)
    PING = 0x3F
    KEY_EVENT = 0x40  # device -> host: window u8, key u8
    RATING = 0x41  # device -> host: window u8, score u8 (1..5)


UNSOLICITED = frozenset({Cmd.KEY_EVENT, Cmd.RATING})


class Status(IntEnum):
    OK = 0
    BUSY = 1  # not done; the same frame may be sent again later
    PAPER_OUT = 2
    BAD_PARAMETER = 3
    CRC_ERROR = 4  # not done
    DEVICE_FAULT = 5  # the project's addition: printer or mechanism fault, not done


STATUS_TEXT = {
    Status.OK: ("ok", "正常"),
    Status.BUSY: ("device busy", "设备忙"),
    Status.PAPER_OUT: ("ticket paper out", "取号纸已用完"),
    Status.BAD_PARAMETER: ("bad parameter", "参数错误"),
    Status.CRC_ERROR: ("CRC error", "校验错误"),
    Status.DEVICE_FAULT: ("device fault", "设备故障"),
}


class Flags(IntFlag):
    """The status bitfield (STATUS reply DATA[1])."""

    NONE = 0
    PAPER_LOW = 0x01
    PAPER_OUT = 0x02
    PRINTER_FAULT = 0x04
    DISPLAY_FAULT = 0x08
    VOICE_FAULT = 0x10


class Key(IntEnum):
    """Keys of a window's keypad (KEY_EVENT DATA[1])."""

    CALL_NEXT = 1
    RECALL = 2
    SKIP = 3
    PAUSE = 4
    RESUME = 5


@dataclass(frozen=True)
class Frame:
    addr: int
    seq: int
    cmd: int
    data: bytes = b""

    @property
    def is_reply(self) -> bool:
        return bool(self.cmd & REPLY)

    @property
    def status(self) -> int:
        """DATA[0] of a reply."""
        if not self.data:
            raise QueueProtocolError("reply has no status byte")
        return self.data[0]

    def reply(self, status: int, payload: bytes = b"") -> Frame:
        """The reply to this request."""
        return Frame(self.addr, self.seq, self.cmd | REPLY, bytes([status]) + payload)


def crc16_modbus(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def encode(frame: Frame) -> bytes:
    for name in ("addr", "seq", "cmd"):
        if not 0 <= getattr(frame, name) <= 0xFF:
            raise QueueProtocolError(f"{name} must be one byte")
    if len(frame.data) > MAX_DATA:
        raise QueueProtocolError(f"data is {len(frame.data)} bytes, at most {MAX_DATA}")
    body = bytes([frame.addr, frame.seq, frame.cmd]) + len(frame.data).to_bytes(2, "big")
    body += frame.data + bytes([ETX])
    return bytes([STX]) + body + crc16_modbus(body).to_bytes(2, "little")


def frame_size(header: bytes) -> int | None:
    """The whole size of the frame whose first 6 bytes are ``header``; None if implausible."""
    length = int.from_bytes(header[4:6], "big")
    if header[0] != STX or length > MAX_DATA:
        return None
    return HEADER_SIZE + length + TRAILER_SIZE


def crc_ok(raw: bytes) -> bool:
    return crc16_modbus(raw[1:-2]) == int.from_bytes(raw[-2:], "little")


def decode(raw: bytes, *, check_crc: bool = True) -> Frame:
    """One whole frame; QueueProtocolError if it is malformed."""
    if len(raw) < HEADER_SIZE + TRAILER_SIZE:
        raise QueueProtocolError(f"frame too short ({len(raw)} bytes)")
    size = frame_size(raw[:HEADER_SIZE])
    if size is None:
        raise QueueProtocolError("no STX, or LEN beyond the limit")
    if size != len(raw):
        raise QueueProtocolError(f"LEN says {size} bytes in all, frame has {len(raw)}")
    if raw[-3] != ETX:
        raise QueueProtocolError("no ETX where LEN says")
    if check_crc and not crc_ok(raw):
        raise QueueProtocolError("CRC mismatch")
    return Frame(raw[1], raw[2], raw[3], bytes(raw[HEADER_SIZE:-TRAILER_SIZE]))


# --- payloads ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ticket:
    text: str  # e.g. "A012"
    waiting: int  # people ahead in that business


@dataclass(frozen=True)
class DeviceState:
    flags: Flags
    waiting: int


@dataclass(frozen=True)
class Event:
    """A key pressed on a window's keypad, or a citizen's rating, sent by the device."""

    cmd: Cmd  # KEY_EVENT or RATING
    window: int
    value: int  # a Key, or a score 1..5


def decode_event(frame: Frame) -> Event:
    if frame.cmd not in UNSOLICITED or len(frame.data) != 2:
        raise QueueProtocolError("not a key or rating event")
    return Event(Cmd(frame.cmd), frame.data[0], frame.data[1])


def _u8(value: int, name: str) -> int:
    if not 0 <= value <= 0xFF:
        raise QueueProtocolError(f"{name} must be 0..255")
    return value


def encode_text(text: str) -> bytes:
    try:
        raw = text.encode("gb18030")
    except UnicodeEncodeError:
        raise QueueProtocolError("text is not encodable in GB18030") from None
    if len(raw) > MAX_TEXT:
        raise QueueProtocolError(f"text is {len(raw)} bytes, at most {MAX_TEXT}")
    return raw


def decode_text(raw: bytes) -> str:
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise QueueProtocolError("text is not valid GB18030") from None


def ticket_text(raw: bytes) -> str:
    if not 1 <= len(raw) <= 16 or not (raw.isascii() and raw.isalnum()):
        raise QueueProtocolError("ticket text is not 1..16 ASCII letters and digits")
    return raw.decode("ascii")


def take_ticket(business: int, priority: int = 0) -> bytes:
    return bytes([_u8(business, "business"), _u8(priority, "priority")])


def window_data(window: int) -> bytes:
    return bytes([_u8(window, "window")])


def window_ticket(window: int, ticket: str) -> bytes:
    raw = ticket.encode("ascii", "replace")
    ticket_text(raw)  # the same rule as on the way in
    return bytes([_u8(window, "window")]) + raw


def show_text(line: int, effect: int, text: str) -> bytes:
    return bytes([_u8(line, "line"), _u8(effect, "effect")]) + encode_text(text)


def ticket_reply(ticket: Ticket) -> bytes:
    """The payload after the status byte of a TAKE_TICKET reply."""
    return ticket.text.encode("ascii") + _u16(ticket.waiting)


def decode_ticket(reply: Frame) -> Ticket:
    data = reply.data[1:]
    if len(data) < 3:
        raise QueueProtocolError("ticket reply too short")
    return Ticket(ticket_text(data[:-2]), int.from_bytes(data[-2:], "big"))


def state_reply(state: DeviceState) -> bytes:
    return bytes([int(state.flags) & 0xFF]) + _u16(state.waiting)


def decode_state(reply: Frame) -> DeviceState:
    if len(reply.data) != 4:
        raise QueueProtocolError("status reply is not 4 bytes")
    return DeviceState(Flags(reply.data[1] & 0x1F), int.from_bytes(reply.data[2:4], "big"))


def _u16(value: int) -> bytes:
    return min(max(value, 0), 0xFFFF).to_bytes(2, "big")
