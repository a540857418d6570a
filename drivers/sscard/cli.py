"""``python -m drivers sscard read`` and ``python -m drivers.sim sscard``.

``read`` goes through pcscd like the kiosk does and prints the card as JSON, personal
fields masked unless ``--show-personal``. The simulator inserts the project's
virtual card into pcscd's vpcd reader (pcscd with vsmartcard-vpcd must be running).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from typing import Any

from smartcard import scard

from drivers.cli import CliError
from drivers.sscard import protocol as p
from drivers.sscard.reader import TIMEOUT, CardGone, ServiceLost, read_card_in
from drivers.sscard.simulator import CardBehaviour, SimulatedCard
from drivers.sscard.vpcd import VPCD_PORT, VirtualCard

SAMPLE = dict(  # the demo back end's fictitious 张示例: every number belongs to nobody
    card_id="440304D156000005000000000000C0DE", card_type="3", spec_version="3.00",
    issuing_org="440304", issue_date="20240101", expiry_date="20340101",
    card_number="D00000001", ssn="440304198803121237", name="张示例", sex="1",
    nation="01", birthplace="440304", birth_date="19880312",
)


def register(devices: argparse._SubParsersAction) -> None:
    parser = devices.add_parser("sscard", help="social security card reader (PC/SC)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    read = commands.add_parser("read", help="read the card in the reader, print it as JSON")
    read.add_argument("--reader", help="part of the PC/SC reader name (default: any reader)")
    read.add_argument("--wait", type=float, default=0, metavar="S",
                      help="wait up to S seconds for a card to be inserted")
    read.add_argument("--show-personal", action="store_true",
                      help="show name and numbers unmasked (on site, with the holder present)")
    read.set_defaults(run=run_read)


def run_read(args: argparse.Namespace) -> dict[str, Any]:
    hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hr != 0:
        raise CliError(f"the PC/SC service (pcscd) is not running ({hr & 0xFFFFFFFF:08X}): "
                       "start it (systemctl start pcscd) and try again")
    try:
        reader = _reader_with_card(ctx, args.reader, args.wait)
        try:
            card = read_card_in(scard, ctx, reader)
        except ServiceLost:
            raise CliError("pcscd stopped during the read") from None
        except CardGone:
            raise CliError("the card was taken out during the read") from None
        except p.CardError as exc:
            raise CliError(f"the card in {reader!r} could not be read: {exc}") from None
    finally:
        scard.SCardReleaseContext(ctx)
    return {"reader": reader, "card": card.as_dict(show_personal=args.show_personal)}


def _reader_with_card(ctx: int, want: str | None, wait: float) -> str:
    hr, readers = scard.SCardListReaders(ctx, [])
    readers = readers if hr == 0 else []
    matching = [r for r in readers if want is None or want in r]
    if not matching:
        known = ", ".join(repr(r) for r in readers) or "none"
        raise CliError(f"no card reader{f' matching {want!r}' if want else ''} "
                       f"(readers: {known})")
    deadline = time.monotonic() + wait
    states = [(r, scard.SCARD_STATE_UNAWARE) for r in matching]
    while True:
        timeout_ms = max(0, int((deadline - time.monotonic()) * 1000))
        hr, states = scard.SCardGetStatusChange(ctx, timeout_ms, states)
        hr &= 0xFFFFFFFF
        if hr not in (0, TIMEOUT):
            raise CliError(f"PC/SC error {hr:08X} while looking for a card")
        for name, event, _atr in states:
            if event & scard.SCARD_STATE_PRESENT:
                return name
        if time.monotonic() >= deadline:
            names = ", ".join(repr(r) for r in matching)
            raise CliError(f"no card in {names}" + (f" after {wait:g} s" if wait else ""))
        states = [(r, e & ~scard.SCARD_STATE_CHANGED) for r, e, _ in states]


def register_sim(devices: argparse._SubParsersAction) -> None:
    parser = devices.add_parser("sscard", help="put the virtual card into pcscd's vpcd reader")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=VPCD_PORT,
                        help="the vpcd reader's TCP port (35963: 'Virtual PCD 00 00')")
    parser.add_argument("--wait", type=float, default=5, metavar="S",
                        help="how long to wait for pcscd's reader to accept the card")
    parser.add_argument("--name", default=SAMPLE["name"], help="the holder's name on the card")
    parser.add_argument("--ssn", default=SAMPLE["ssn"], help="the social security number")
    parser.add_argument("--plain-t0", action="store_true",
                        help="answer SELECT with 9000 instead of 61xx")
    parser.add_argument("--records-via-get-response", action="store_true",
                        help="answer READ RECORD with 61xx (data via GET RESPONSE)")
    parser.set_defaults(run=run_sim)


def run_sim(args: argparse.Namespace) -> int:
    card = p.SocialSecurityCard(**{**SAMPLE, "name": args.name, "ssn": args.ssn})
    behaviour = CardBehaviour(select_61xx=not args.plain_t0,
                              records_via_get_response=args.records_via_get_response)
    virtual = VirtualCard(SimulatedCard(card, behaviour), args.host, args.port)
    try:
        virtual.insert(timeout=args.wait)
    except ConnectionError as exc:
        print(f"python -m drivers.sim sscard: {exc}", file=sys.stderr)
        return 1
    print(f"virtual social security card inserted at {args.host}:{args.port}; "
          "Ctrl-C removes it", flush=True)
    try:
        threading.Event().wait()
    finally:
        virtual.remove()
    return 0
