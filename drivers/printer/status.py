"""ESC/POS real-time status (DLE EOT 1-4) as pure data: encode, decode, map to the device model.

Every DLE EOT reply matches ``(r & 0x93) == 0x12`` (devices.md section 3). A ``GS r 1``
reply (processed in buffer order; the driver uses it as an end-of-job marker) has bit 4
clear, so the two never get mixed up on one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.device import Action, DeviceState, DeviceStatus, PaperLevel
from drivers.events import NO_ANSWER as NO_ANSWER_DETAIL
from drivers.events import NO_DETAIL, Detail

DEVICE = "printer"
STATUS_MASK, STATUS_FIXED = 0x93, 0x12  # bits 1 and 4 set, bits 0 and 7 clear
PAPER_NEAR_END, PAPER_END = 0x0C, 0x60
PAPER_STATES = ("ok", "near_end", "out")
SYNC_MASK = 0x90  # GS r 1 replies: bits 4 and 7 clear


def status_reply(
    n: int,
    *,
    paper: str = "ok",
    cover_open: bool = False,
    cutter_error: bool = False,
    offline: bool = False,
    unrecoverable: bool = False,
) -> int:
    """The byte a printer answers to DLE EOT n."""
    if paper not in PAPER_STATES:
        raise ValueError(f"paper must be one of {PAPER_STATES}")
    error = cutter_error or unrecoverable
    r = STATUS_FIXED
    if n == 1:  # a real printer also goes offline with the cover open, at paper end, on error
        r |= 0x08 if (offline or cover_open or paper == "out" or error) else 0
    elif n == 2:
        r |= (0x04 if cover_open else 0) | (0x20 if paper == "out" else 0)
        r |= 0x40 if error else 0
    elif n == 3:
        r |= (0x08 if cutter_error else 0) | (0x20 if unrecoverable else 0)
    elif n == 4:
        r |= {"ok": 0, "near_end": PAPER_NEAR_END, "out": PAPER_END}[paper]
    else:
        raise ValueError(f"DLE EOT n must be 1..4, got {n}")
    return r


def is_status_reply(r: int) -> bool:
    return (r & STATUS_MASK) == STATUS_FIXED


def is_sync_reply(r: int) -> bool:
    """A GS r 1 (paper sensor, buffer order) reply rather than a DLE EOT one."""
    return (r & SYNC_MASK) == 0


def paper_from_reply(r: int) -> str:
    """Decode a DLE EOT 4 reply into "ok", "near_end" or "out"."""
    if not is_status_reply(r):
        raise ValueError(f"not a status reply: 0x{r:02x}")
    if r & PAPER_END:
        return "out"
    return "near_end" if r & PAPER_NEAR_END else "ok"


@dataclass(frozen=True)
class PrinterState:
    """What DLE EOT 1-4 said. Replies that did not come leave their fields at the default."""

    offline: bool = False
    cover_open: bool = False
    paper_end_stop: bool = False  # printing stopped at paper end (n=2)
    error: bool = False  # an error occurred (n=2)
    cutter_error: bool = False
    unrecoverable: bool = False
    auto_recoverable: bool = False
    paper: str = "ok"

    @property
    def paper_out(self) -> bool:
        return self.paper == "out" or self.paper_end_stop

    @property
    def paper_level(self) -> PaperLevel:
        if self.paper_out:
            return PaperLevel.OUT
        return PaperLevel.LOW if self.paper == "near_end" else PaperLevel.OK


def decode_state(replies: dict[int, int]) -> PrinterState:
    """Combine DLE EOT replies {n: byte}; ValueError if one is not a status byte."""
    for n, r in replies.items():
        if not is_status_reply(r):
            raise ValueError(f"DLE EOT {n}: 0x{r:02x} is not a status byte")
    r1, r2, r3 = replies.get(1, 0), replies.get(2, 0), replies.get(3, 0)
    return PrinterState(
        offline=bool(r1 & 0x08),
        cover_open=bool(r2 & 0x04),
        paper_end_stop=bool(r2 & 0x20),
        error=bool(r2 & 0x40),
        cutter_error=bool(r3 & 0x08),
        unrecoverable=bool(r3 & 0x20),
        auto_recoverable=bool(r3 & 0x40),
        paper=paper_from_reply(replies[4]) if 4 in replies else "ok",
    )


def status(
    state: DeviceState,
    detail: Detail = NO_DETAIL,
    action: Action = Action.NONE,
    paper: PaperLevel = PaperLevel.UNKNOWN,
) -> DeviceStatus:
    """A printer status with its detail in both languages and its paper level."""
    return DeviceStatus(DEVICE, state, detail.en, action, detail.zh, paper)


UNRECOVERABLE = Detail("unrecoverable error", "打印机故障，需维修")
CUTTER_ERROR = Detail("cutter error", "切刀故障，请开盖清除卡纸")
COVER_OPEN = Detail("cover open", "打印机盖未关好")
PAPER_OUT = Detail("paper out", "打印纸用完")
PRINTER_ERROR = Detail("printer error", "打印机出错")
OFFLINE = Detail("printer offline", "打印机离线")
NEAR_END = Detail("paper near end", "打印纸即将用完")


def device_status(state: PrinterState) -> DeviceStatus:
    """The device-model view: what is wrong first, and who can fix it; the paper level
    as the paper sensor (DLE EOT 4) said, whatever else is wrong."""
    paper = state.paper_level
    if state.unrecoverable:
        return status(DeviceState.HARDWARE_ERROR, UNRECOVERABLE, Action.MAINTENANCE, paper)
    if state.cutter_error:  # usually a jam: open the cover, clear it, close
        return status(DeviceState.HARDWARE_ERROR, CUTTER_ERROR, Action.CLEAR, paper)
    if state.cover_open:
        return status(DeviceState.USER_ERROR, COVER_OPEN, Action.CLEAR, paper)
    if state.paper_out:
        return status(DeviceState.USER_ERROR, PAPER_OUT, Action.CLEAR, paper)
    if state.error:
        return status(DeviceState.HARDWARE_ERROR, PRINTER_ERROR, Action.MAINTENANCE, paper)
    if state.offline:
        return status(DeviceState.OFFLINE, OFFLINE, Action.CLEAR, paper)
    if state.paper == "near_end":
        return status(DeviceState.ONLINE, NEAR_END, Action.CLEAR, paper)
    return status(DeviceState.ONLINE, paper=paper)


NO_ANSWER = status(DeviceState.OFFLINE, NO_ANSWER_DETAIL, Action.MAINTENANCE)


def status_from_replies(replies: bytes, asked: tuple[int, ...] = (1, 2, 3, 4)) -> DeviceStatus:
    """Map the bytes that came back to DLE EOT ``asked`` (in order) to a DeviceStatus.

    Nothing at all: the printer is off, unplugged or on another port ("no answer", never
    "paper out"). Bytes that are not status bytes are line noise and are skipped; only
    noise: a wrong baud rate, most likely.
    """
    valid = [r for r in replies if is_status_reply(r)]
    if not replies:
        return NO_ANSWER
    if not valid:
        detail = Detail(f"bad status byte 0x{replies[0]:02x} (baud rate?)",
                        "状态应答异常（波特率不对？）")
        return status(DeviceState.HARDWARE_ERROR, detail, Action.MAINTENANCE)
    return device_status(decode_state(dict(zip(asked, valid, strict=False))))
