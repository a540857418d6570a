"""GA 467 SAM serial protocol: frames, checksums and the frame splitter (pure, no I/O).

command: AA AA AA 96 69 | LEN_H LEN_L | CMD PARA [DATA] | CHK
reply:   AA AA AA 96 69 | LEN_H LEN_L | SW1 SW2 SW3 [DATA] | CHK

LEN counts every byte after the length field, CHK included; CHK is the XOR of every
byte from LEN_H to the last data byte. The card data itself lives in ``card``; its
public names are re-exported here so callers need one import.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import xor

# Re-exported (the "as" form), so callers import everything from here.
from drivers.framing import StreamFramer
from drivers.idcard.card import LONG_TERM as LONG_TERM
from drivers.idcard.card import PHOTO_SIZE as PHOTO_SIZE
from drivers.idcard.card import TEXT_SIZE as TEXT_SIZE
from drivers.idcard.card import CardType as CardType
from drivers.idcard.card import IdCard as IdCard
from drivers.idcard.card import ProtocolError as ProtocolError
from drivers.idcard.card import id_check_digit as id_check_digit
from drivers.idcard.card import is_valid_id_number as is_valid_id_number
from drivers.idcard.textblock import decode_text_block as decode_text_block
from drivers.idcard.textblock import encode_text_block as encode_text_block

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE = len(PREAMBLE) + 2  # preamble + LEN_H LEN_L
MAX_FRAME = 4096  # the largest real reply (text + photo + 2 fingerprints) is 2321 bytes

# (CMD, PARA) pairs.
SAM_RESET = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
SAM_ID = (0x12, 0xFF)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_BASE = (0x30, 0x01)  # text + photo

# Line rates and the PARA of their switch command 60 xx. Assumed, as devices.md does
# not say: the module answers SW3 90 at the old rate, then changes; it powers up at
# 115200 (and may keep a rate set earlier, which is why the link also looks there).
BAUD_RATES = {115200: 0x00, 57600: 0x01, 38400: 0x02, 19200: 0x03, 9600: 0x04}
DEFAULT_BAUD = 115200


def set_baud(rate: int) -> tuple[int, int]:
    """The (CMD, PARA) that switches the module to ``rate``; ValueError for other rates."""
    if rate not in BAUD_RATES:
        raise ValueError(f"the module runs at {sorted(BAUD_RATES)} baud, not {rate}")
    return (0x60, BAUD_RATES[rate])


def baud_of(command: tuple[int, int]) -> int | None:
    """The rate a 60 xx command switches to, None if it is not one."""
    if command[0] != 0x60:
        return None
    return next((r for r, code in BAUD_RATES.items() if code == command[1]), None)


# SW3 codes the driver and the simulator act on.
SW3_OK = 0x90
SW3_FIND_OK = 0x9F
SW3_CHECKSUM_ERROR = 0x10
SW3_LENGTH_ERROR = 0x11
SW3_COMMAND_ERROR = 0x21
SW3_READ_FAILED = 0x41
SW3_NO_CARD = 0x80
SW3_SELECT_FAILED = 0x81

SW3_MESSAGES: dict[int, str] = {
    0x90: "ok",
    0x9F: "card found",
    0x91: "no content",
    0x10: "checksum error",
    0x11: "length error",
    0x21: "command error",
    0x23: "unauthorised",
    0x24: "unknown error",
    0x31: "card failed to authenticate SAM",
    0x32: "SAM failed to authenticate card",
    0x33: "information check error",
    0x40: "unrecognised card type",
    0x41: "read failed",
    0x47: "get-random failed",
    0x60: "SAM self-test failed",
    0x66: "SAM not authorised",
    0x80: "no card",
    0x81: "select failed",
}


SW3_MESSAGES_ZH: dict[int, str] = {
    0x90: "操作成功",
    0x9F: "寻卡成功",
    0x91: "该项无内容",
    0x10: "校验和错误",
    0x11: "长度错误",
    0x21: "命令错误",
    0x23: "越权操作",
    0x24: "未知错误",
    0x31: "卡认证机具失败",
    0x32: "机具认证卡失败",
    0x33: "信息验证错误",
    0x40: "无法识别的卡类型",
    0x41: "读卡失败",
    0x47: "取随机数失败",
    0x60: "SAM自检失败",
    0x66: "SAM未经授权",
    0x80: "未放卡（寻卡失败）",
    0x81: "选卡失败",
}


def sw3_message(sw3: int, lang: str = "en") -> str:
    """What an SW3 code means, in "en" or "zh"; an unknown code is named by its value."""
    if lang == "zh":
        return SW3_MESSAGES_ZH.get(sw3, f"未知状态 {sw3:#04x}")
    return SW3_MESSAGES.get(sw3, f"unknown status {sw3:#04x}")


def checksum(body: bytes) -> int:
    """XOR of ``body`` (LEN_H up to the last data byte)."""
    return reduce(xor, body, 0)


def _frame(payload: bytes) -> bytes:
    length = len(payload) + 1  # + CHK
    if length > MAX_FRAME - HEADER_SIZE:
        raise ProtocolError(f"frame payload too long ({len(payload)} bytes)")
    body = length.to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([checksum(body)])


def _payload(frame: bytes, minimum: int) -> bytes:
    """Check preamble, LEN and CHK; return the bytes between LEN and CHK."""
    if len(frame) < HEADER_SIZE + 1:
        raise ProtocolError(f"frame too short ({len(frame)} bytes)")
    if frame[: len(PREAMBLE)] != PREAMBLE:
        raise ProtocolError("frame does not start with the preamble")
    length = int.from_bytes(frame[len(PREAMBLE) : HEADER_SIZE], "big")
    if length != len(frame) - HEADER_SIZE:
        raise ProtocolError(f"LEN says {length} bytes, frame has {len(frame) - HEADER_SIZE}")
    if length < minimum + 1:
        raise ProtocolError(f"frame payload too short ({length - 1} bytes)")
    if checksum(frame[len(PREAMBLE) : -1]) != frame[-1]:
        raise ProtocolError("checksum mismatch")
    return bytes(frame[HEADER_SIZE:-1])


def encode_command(cmd: int, para: int, data: bytes = b"") -> bytes:
    return _frame(bytes([cmd, para]) + data)


def decode_command(frame: bytes) -> tuple[int, int, bytes]:
    """(CMD, PARA, DATA) of a command frame; ProtocolError if it is malformed."""
    payload = _payload(frame, 2)
    return payload[0], payload[1], payload[2:]


def encode_reply(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return _frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class Reply:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def message(self) -> str:
        return sw3_message(self.sw3)

    @property
    def message_zh(self) -> str:
        return sw3_message(self.sw3, "zh")


def decode_reply(frame: bytes) -> Reply:
    """A reply frame's status words and data; ProtocolError if it is malformed."""
    payload = _payload(frame, 3)
    return Reply(payload[0], payload[1], payload[2], payload[3:])


def encode_read_reply(card: IdCard) -> bytes:
    """The whole 1295-byte reply to READ_BASE for ``card``."""
    if len(card.photo) != PHOTO_SIZE:
        raise ProtocolError(f"photo must be {PHOTO_SIZE} bytes, got {len(card.photo)}")
    lengths = TEXT_SIZE.to_bytes(2, "big") + PHOTO_SIZE.to_bytes(2, "big")
    return encode_reply(SW3_OK, lengths + encode_text_block(card) + card.photo)


def decode_read_reply(reply: Reply) -> IdCard:
    """The card in a READ_BASE reply; ProtocolError on a failed read or bad lengths."""
    if reply.sw3 != SW3_OK:
        raise ProtocolError(f"read reply status {reply.sw3:#04x} ({reply.message})")
    data = reply.data
    if len(data) < 4:
        raise ProtocolError("read reply too short for its length fields")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if (text_len, photo_len) != (TEXT_SIZE, PHOTO_SIZE):
        raise ProtocolError(f"unexpected text/photo lengths {text_len}/{photo_len}")
    if len(data) != 4 + TEXT_SIZE + PHOTO_SIZE:
        raise ProtocolError(f"read reply data is {len(data)} bytes, expected 1284")
    fields = decode_text_block(data[4 : 4 + TEXT_SIZE])
    return IdCard(**{**fields, "photo": bytes(data[4 + TEXT_SIZE :])})


class FrameBuffer(StreamFramer):
    """Splits a byte stream into frames; drops garbage and never raises.

    ``verify=True`` (the driver's side) yields only frames whose checksum holds and
    resyncs one byte further on a mismatch. ``verify=False`` (the device's side) cuts
    by LEN alone, so a frame with a bad checksum still comes out and can be answered
    with SW3 10, as the SAM does.
    """

    def __init__(self, *, verify: bool = True, max_frame: int = MAX_FRAME) -> None:
        def frame_size(header: bytes) -> int | None:
            length = int.from_bytes(header[len(PREAMBLE) : HEADER_SIZE], "big")
            if length < 3 or HEADER_SIZE + length > max_frame:
                return None
            return HEADER_SIZE + length

        super().__init__(
            PREAMBLE, HEADER_SIZE, frame_size, _checksum_ok,
            verify=verify, skip_fragments=verify,
        )


def _checksum_ok(frame: bytes) -> bool:
    return checksum(frame[len(PREAMBLE) : -1]) == frame[-1]
