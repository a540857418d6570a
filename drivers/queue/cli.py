"""``python -m drivers queue ...`` and ``python -m drivers.sim queue``.

    python -m drivers queue take --port PORT --business N [--priority P]
    python -m drivers queue status --port PORT
    python -m drivers queue ping --port PORT
    python -m drivers queue call --port PORT --window W --ticket A012
    python -m drivers.sim queue [--baud N] [--addr A] [--link PATH]

Common options: --baud (default 9600), --addr (default 1). See docs/queue-protocol.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from drivers.cli import CliError
from drivers.queue.driver import status_of
from drivers.queue.link import DEFAULT_BAUD, QueueError, QueueLink
from drivers.queue.protocol import Flags, QueueProtocolError

if TYPE_CHECKING:
    from drivers.queue.simulator import QueueSimulator


def register(devices: argparse._SubParsersAction) -> None:
    parser = devices.add_parser("queue", help="queue-number device (取号/叫号, serial)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    take = _command(commands, "take", "issue a ticket (it prints on the device)", run_take)
    take.add_argument("--business", type=int, required=True, help="business type, 1..255")
    take.add_argument("--priority", type=int, default=0, help="0 normal; higher goes first")
    _command(commands, "status", "the device's status flags and how many wait", run_status)
    _command(commands, "ping", "check that the device answers", run_ping)
    call = _command(commands, "call", "call a ticket to a window", run_call)
    call.add_argument("--window", type=int, required=True)
    call.add_argument("--ticket", required=True, help="e.g. A012")


Run = Callable[[argparse.Namespace], dict[str, Any]]


def _command(
    commands: argparse._SubParsersAction, name: str, text: str, run: Run
) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=text)
    parser.add_argument("--port", required=True, help="serial port, e.g. /dev/ttyUSB2")
    parser.add_argument("--baud", type=int, default=DEFAULT_BAUD, help="line rate (default 9600)")
    parser.add_argument("--addr", type=int, default=1, help="device address (default 1)")
    parser.set_defaults(run=run)
    return parser


def _talk(args: argparse.Namespace, job: Callable[[QueueLink], dict[str, Any]]) -> dict[str, Any]:
    try:
        with QueueLink(args.port, args.baud, addr=args.addr) as link:
            return job(link)
    except QueueError as e:
        raise CliError(explain(e, args)) from None
    except QueueProtocolError as e:  # an argument the protocol cannot carry
        raise CliError(f"{e} — 参数无效") from None


def run_take(args: argparse.Namespace) -> dict[str, Any]:
    def take(link: QueueLink) -> dict[str, Any]:
        ticket = link.take_ticket(args.business, args.priority)
        return {"business": args.business, "ticket": ticket.text, "waiting": ticket.waiting}

    return _talk(args, take)


def run_status(args: argparse.Namespace) -> dict[str, Any]:
    def status(link: QueueLink) -> dict[str, Any]:
        state = link.state()
        kiosk_state, detail, action = status_of(state.flags)
        flags = [flag.name.lower() for flag in Flags if flag and flag in state.flags]
        return {"state": kiosk_state.value, "detail": detail.en, "detail_zh": detail.zh,
                "action": action.value, "flags": flags, "waiting": state.waiting}  # fmt: skip

    return _talk(args, status)


def run_ping(args: argparse.Namespace) -> dict[str, Any]:
    def ping(link: QueueLink) -> dict[str, Any]:
        started = time.perf_counter()
        link.ping()
        return {"port": args.port, "addr": args.addr,
                "round_trip_ms": round((time.perf_counter() - started) * 1000, 1)}  # fmt: skip

    return _talk(args, ping)


def run_call(args: argparse.Namespace) -> dict[str, Any]:
    def call(link: QueueLink) -> dict[str, Any]:
        link.call(args.window, args.ticket)
        return {"window": args.window, "ticket": args.ticket}

    return _talk(args, call)


def explain(error: QueueError, args: argparse.Namespace) -> str:
    """What is wrong and what to check, in en and zh, for the person on site."""
    if error.kind == "no_device":
        return f"no device: {args.port} does not exist — 端口不存在，请检查叫号设备连接"
    if error.kind == "port_in_use":
        return f"{args.port} is in use by another program — 端口被占用，请先停止自助终端程序"
    if error.kind == "no_answer":
        return (f"no answer from the queue device on {args.port} at {args.baud} baud, "
                f"address {args.addr} (check power, cable, --baud and --addr) — 叫号设备无应答")
    if error.kind == "bad_parameter":
        return "the device refused the parameters (is the business/window/ticket set up?) " \
               "— 设备拒绝了参数，请检查业务类型、窗口或票号"  # fmt: skip
    return f"{error.detail.en} — {error.detail.zh}"


# --- the simulator ------------------------------------------------------------------------


def register_sim(devices: argparse._SubParsersAction) -> None:
    parser = devices.add_parser("queue", help="a queue-number device on a pty")
    parser.add_argument("--baud", type=int, default=DEFAULT_BAUD, help="line rate (default 9600)")
    parser.add_argument("--addr", type=int, default=1, help="device address (default 1)")
    parser.add_argument("--no-pace", action="store_true", help="reply at once, not at wire speed")
    parser.add_argument("--link", metavar="PATH", help="also reach the pty through this symlink")
    parser.set_defaults(run=run_sim)


SIM_HELP = ("type: paper ok|low|out · fault none|printer|display|voice · busy N · "
            "drop N (lose N replies) · key WINDOW KEY · rate WINDOW SCORE")  # fmt: skip


def run_sim(args: argparse.Namespace) -> int:
    from drivers.queue.simulator import QueueSimulator
    from drivers.serial_sim import run_until_interrupted

    sim = QueueSimulator(addr=args.addr, baud=args.baud, pace=not args.no_pace, link=args.link)
    sim.start()
    print(sim.port, flush=True)  # first line: the path for the driver, nothing else
    print(f"queue device simulator at {args.baud} baud, address {args.addr}, on {sim.port}; "
          f"try:\n  python -m drivers queue take --port {sim.port} --business 1\n{SIM_HELP}; "
          "Ctrl-C stops", file=sys.stderr, flush=True)  # fmt: skip
    return run_until_interrupted(sim, lambda line: script(sim, line))


def script(sim: QueueSimulator, line: str) -> str:
    """One typed command for the simulator; returns what it did."""
    word, *rest = line.split()
    try:
        numbers = [int(x) for x in rest] if word not in ("paper", "fault") else []
        with sim.lock:
            if word == "paper" and rest and rest[0] in ("ok", "low", "out"):
                sim.paper = rest[0]
            elif word == "fault" and rest:
                sim.faults = Flags.NONE if rest[0] == "none" else Flags[f"{rest[0].upper()}_FAULT"]
            elif word == "busy" and len(numbers) == 1:
                sim.busy = numbers[0]
            elif word == "drop" and len(numbers) == 1:
                sim.drop_replies = numbers[0]
            elif word in ("key", "rate") and len(numbers) == 2:
                (sim.press_key if word == "key" else sim.rate)(*numbers)
            else:
                return SIM_HELP
    except (ValueError, KeyError):
        return SIM_HELP
    return f"ok: {line}"
