"""``python -m drivers idcard ...`` and ``python -m drivers.sim idcard``.

    python -m drivers idcard read --port PORT [--baud N] [--show-personal]
    python -m drivers idcard sam --port PORT [--baud N]
    python -m drivers.sim idcard [--card demo|N|J|I|Y] [--baud N] [--link PATH]

Personal fields are masked unless ``--show-personal`` is given: staff may need
the full values, with the citizen standing there, to sort out a problem.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from drivers.cli import CliError
from drivers.idcard import protocol as p
from drivers.idcard.link import IdCardError, SamLink
from drivers.idcard.protocol import IdCard
from drivers.idcard.samples import PERMITS

RATES = sorted(p.BAUD_RATES)
_FIELDS = ("name", "english_name", "sex", "nation", "nationality", "birth", "address",
           "id_number", "pass_number", "issue_count", "renewal_count", "card_version",
           "authority", "valid_from", "valid_to", "old_card_link")  # fmt: skip
_PERSONAL = frozenset({"name", "english_name", "birth", "address", "id_number", "pass_number",
                       "old_card_link"})  # fmt: skip


def register(devices: argparse._SubParsersAction) -> None:
    parser = devices.add_parser("idcard", help="ID card reader (GA 467 SAM module, serial)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    read = commands.add_parser("read", help="find, select and read the card on the reader")
    _port_options(read)
    read.add_argument("--timeout", type=float, default=2.0, metavar="S",
                      help="seconds to wait for the read reply (default 2)")  # fmt: skip
    read.add_argument("--show-personal", action="store_true",
                      help="print name, ID number, address and birth date unmasked")  # fmt: skip
    read.set_defaults(run=run_read)
    sam = commands.add_parser("sam", help="the SAM module's status and its ID")
    _port_options(sam)
    sam.set_defaults(run=run_sam)


def _port_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", required=True, help="serial port, e.g. /dev/ttyUSB0")
    parser.add_argument("--baud", type=int, default=p.DEFAULT_BAUD, choices=RATES,
                        help="the module's line rate (default 115200)")  # fmt: skip


def run_read(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with SamLink(args.port, args.baud, read_timeout=args.timeout, hunt=False) as link:
            card = link.read_once()
    except IdCardError as e:
        raise CliError(explain(e, args.port, args.baud)) from None
    return {
        "read_ms": round((time.perf_counter() - started) * 1000, 1),
        "masked": not args.show_personal,
        "card": card_fields(card, personal=args.show_personal),
    }


def run_sam(args: argparse.Namespace) -> dict[str, Any]:
    try:
        with SamLink(args.port, args.baud, hunt=False) as link:
            sam_id = link.sam_id()
    except IdCardError as e:
        raise CliError(explain(e, args.port, args.baud)) from None
    return {"port": args.port, "baud": args.baud, "sam_status": "ok", "sam_id": sam_id.hex()}


def explain(error: IdCardError, port: str, baud: int) -> str:
    """A message for the person on site: what is wrong and what to check, in en and zh."""
    kind = error.kind
    if kind == "no_device":
        return (f"no device: {port} does not exist (is the reader plugged in?)"
                " — 端口不存在，请检查读卡器连接")  # fmt: skip
    if kind == "port_in_use":
        return (f"{port} is in use by another program (stop the kiosk first)"
                " — 端口被占用，请先停止自助终端程序")  # fmt: skip
    if kind == "no_answer":
        return (f"no answer from the reader on {port} at {baud} baud (check power, cable and "
                f"--baud) — 读卡器无应答，请检查电源、线缆和波特率")  # fmt: skip
    if kind == "no_card":
        return "no card on the reader — 读卡器上没有卡，请放卡后重试"
    return f"{error.detail.en} — {error.detail.zh}"


def card_fields(card: IdCard, *, personal: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {"card_type": card.card_type.value}
    for name in _FIELDS:
        value = getattr(card, name)
        if value:  # a layout's empty fields are left out
            fields[name] = _mask(name, value) if name in _PERSONAL and not personal else value
    # Raw WLT only: decoding needs a vendor library (drivers/idcard/photo.py).
    fields["photo"] = {"format": "WLT", "bytes": len(card.photo)}
    return fields


def _mask(name: str, value: str) -> str:
    if name in ("name", "english_name"):
        return mask_name(value)
    if name == "address":
        return value[:6] + "***"
    if name == "birth":
        return "*" * len(value)
    return mask_number(value)


def mask_name(name: str) -> str:
    """张示例 → 张*例, 张三 → 张*: enough to recognise, not to identify."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_number(number: str) -> str:
    """The first 6 and last 4 kept (440304********1237); 2 and 2 of a short number."""
    head, tail = (6, 4) if len(number) > 12 else (2, 2)
    if len(number) <= head + tail:
        return "*" * len(number)
    return number[:head] + "*" * (len(number) - head - tail) + number[-tail:]


# --- the simulator ------------------------------------------------------------------------


def register_sim(devices: argparse._SubParsersAction) -> None:
    parser = devices.add_parser("idcard", help="a GA 467 SAM module on a pty")
    parser.add_argument("--card", default=None, metavar="demo|N|J|I|Y",
                        help="lay a card on the reader at start: demo citizen N (demo: 1) "
                             "or a fictitious permit J, I or Y")  # fmt: skip
    parser.add_argument("--baud", type=int, default=p.DEFAULT_BAUD, choices=RATES,
                        help="the module's line rate; replies are paced at it")  # fmt: skip
    parser.add_argument("--no-pace", action="store_true", help="reply at once, not at wire speed")
    parser.add_argument("--link", metavar="PATH", help="also reach the pty through this symlink")
    parser.set_defaults(run=run_sim)


def demo_cards() -> list[IdCard]:
    """The demo back end's fictitious citizens, as resident ID cards."""
    from backend.citizens import DEMO_CITIZENS  # a dev tool may know the demo data

    return [IdCard(c.name, c.sex, c.nation, c.birth, c.address, c.id_number, c.authority,
                   c.valid_from, c.valid_to) for c in DEMO_CITIZENS]  # fmt: skip


def pick_card(choice: str) -> IdCard | None:
    """demo, 1..N, J, I or Y; 0 takes the card away. ValueError for anything else."""
    choice = choice.strip()
    if choice.upper() in PERMITS:
        return PERMITS[choice.upper()]
    cards = demo_cards()
    index = 1 if choice == "demo" else int(choice)  # ValueError if not a number
    if index == 0:
        return None
    if not 1 <= index <= len(cards):
        raise ValueError(f"demo cards are 1..{len(cards)}")
    return cards[index - 1]


def run_sim(args: argparse.Namespace) -> int:
    from drivers.idcard.simulator import IdCardSimulator
    from drivers.serial_sim import run_until_interrupted

    try:
        card = pick_card(args.card) if args.card else None
    except ValueError as e:
        raise SystemExit(f"python -m drivers.sim idcard: --card {args.card}: {e}") from None
    sim = IdCardSimulator(card, baud=args.baud, pace=not args.no_pace, link=args.link).start()
    print(sim.port, flush=True)  # first line: the path for the driver, nothing else

    def on_line(line: str) -> str:
        try:
            chosen = pick_card(line)
        except ValueError:
            return "type demo, a demo card number, J, I or Y; 0 takes the card away"
        if chosen is None:
            sim.remove()
            return "card taken away"
        sim.insert(chosen)
        return f"card on the reader: {chosen.card_type.value}"

    print(f"ID card reader simulator at {args.baud} baud on {sim.port}; try:\n"
          f"  python -m drivers idcard read --port {sim.port} --baud {args.baud}\n"
          "type 1-8 (demo citizens), J, I or Y to lay a card, 0 to take it away; "
          "Ctrl-C stops", file=sys.stderr, flush=True)  # fmt: skip
    return run_until_interrupted(sim, on_line)
