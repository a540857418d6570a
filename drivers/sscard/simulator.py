"""A virtual social security card: the SSSE file system and its APDU handling.

Built on the same protocol module as the driver. ``SimulatedCard.process`` takes one
command APDU and returns the reply (data + SW1 SW2); ``drivers.sscard.vpcd`` puts it
behind pcscd's virtual reader. T=0 behaviour is scriptable so the driver's 61xx and
6Cxx handling is exercised: SELECT answers 61xx by default, READ RECORD answers
6Cxx when Le is not the record's exact length, and ``records_via_get_response``
makes READ RECORD answer 61xx too (the data then comes with GET RESPONSE).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from drivers.sscard import protocol as p

# T=0 card, no TA1/TD1 (default rates, T=0 only), TB1 = TC1 = 0, 12 historical bytes.
DEFAULT_ATR = bytes.fromhex("3B6C0000") + b"SSSE-KIOSK-1"
MF = 0x3F00
READ_ONLY_SFIS = {5: p.EF05, 6: p.EF06}  # EF07 and up need a PSAM: never readable here


@dataclass
class CardBehaviour:
    """How the card answers at the T=0 level (scriptable by tests)."""

    select_61xx: bool = True  # SELECT by name answers 61xx: the FCI waits for GET RESPONSE
    records_via_get_response: bool = False  # READ RECORD answers 61xx instead of data
    strict_le: bool = True  # READ RECORD with a wrong Le answers 6Cxx (exact length)


def fci(name: bytes) -> bytes:
    """A minimal FCI template: 6F { 84 DF name }."""
    inner = p.encode_tlv(0x84, name)
    return p.encode_tlv(0x6F, inner)


class SimulatedCard:
    """One card's state between power-ons. Thread-safe: the vpcd link calls from its thread."""

    def __init__(
        self,
        card: p.SocialSecurityCard,
        behaviour: CardBehaviour | None = None,
        atr: bytes = DEFAULT_ATR,
    ) -> None:
        self.card = card
        self.behaviour = behaviour or CardBehaviour()
        self.atr = atr
        records = p.card_to_records(card)
        self._files = {
            fid: [(tag, p.encode_tlv(tag, records[tag])) for tag, *_ in spec]
            for fid, spec in ((p.EF05, p.EF05_FIELDS), (p.EF06, p.EF06_FIELDS))
        }
        self.commands: list[bytes] = []  # every APDU received, for tests
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Power on or reset: back to the MF, nothing selected, nothing pending."""
        self._app_selected = False
        self._current_ef: int | None = None
        self._pending = b""

    def process(self, apdu: bytes) -> bytes:
        with self._lock:
            self.commands.append(bytes(apdu))
            try:
                cmd = p.parse_command(apdu)
            except p.ProtocolError:
                return _sw(0x6700)
            if cmd.cla != 0x00:
                return _sw(0x6E00)
            if cmd.ins != p.INS_GET_RESPONSE:
                self._pending = b""  # ISO: any other command discards waiting data
            handler = {
                p.INS_SELECT: self._select,
                p.INS_READ_RECORD: self._read_record,
                p.INS_GET_RESPONSE: self._get_response,
            }.get(cmd.ins)
            return handler(cmd) if handler else _sw(0x6D00)

    # -- commands ---------------------------------------------------------------------------
    def _select(self, cmd: p.Command) -> bytes:
        if cmd.p1 == 0x04:
            if cmd.data != p.SSSE_NAME:
                return _sw(0x6A82)
            self._app_selected, self._current_ef = True, None
            return self._answer(fci(cmd.data), cmd.le, chained=self.behaviour.select_61xx)
        if cmd.p1 in (0x00, 0x02) and len(cmd.data) == 2:
            fid = int.from_bytes(cmd.data, "big")
            if fid == MF:
                self.reset()
                return _sw(p.SW_OK)
            if not self._app_selected or fid not in self._files:
                return _sw(0x6A82)
            self._current_ef = fid
            return _sw(p.SW_OK)
        return _sw(0x6A86)

    def _read_record(self, cmd: p.Command) -> bytes:
        sfi, mode = cmd.p2 >> 3, cmd.p2 & 0x07
        if sfi:
            if not self._app_selected:
                return _sw(0x6A82)
            if sfi not in READ_ONLY_SFIS:
                return _sw(0x6982)
            fid = READ_ONLY_SFIS[sfi]
        elif self._current_ef is None:
            return _sw(0x6986)
        else:
            fid = self._current_ef
        records = self._files[fid]
        if mode == 0x04:  # P1 is the record number
            found = records[cmd.p1 - 1][1] if 1 <= cmd.p1 <= len(records) else None
        elif mode == 0x00:  # P1 is the record identifier (the tag)
            found = next((tlv for tag, tlv in records if tag == cmd.p1), None)
        else:
            return _sw(0x6A86)
        if found is None:
            return _sw(0x6A83)
        if self.behaviour.records_via_get_response:
            return self._answer(found, None, chained=True)
        if cmd.le is None:
            return _sw(0x6700)
        if cmd.le != len(found) and self.behaviour.strict_le:
            return _sw(0x6C00 | len(found))
        return p.encode_response(found[: cmd.le], p.SW_OK)

    def _get_response(self, cmd: p.Command) -> bytes:
        if not self._pending:
            return _sw(0x6985)
        le = cmd.le or 256
        if le > len(self._pending):
            return _sw(0x6C00 | len(self._pending))
        out, self._pending = self._pending[:le], self._pending[le:]
        return p.encode_response(out, _more(len(self._pending)) if self._pending else p.SW_OK)

    def _answer(self, data: bytes, le: int | None, *, chained: bool) -> bytes:
        if chained:
            self._pending = data
            return _sw(_more(len(data)))
        return p.encode_response(data if le else b"", p.SW_OK)


def _more(n: int) -> int:
    return 0x6100 | (n if n < 256 else 0)  # 61 00: 256 or more bytes wait


def _sw(sw: int) -> bytes:
    return bytes([sw >> 8, sw & 0xFF])
