"""``python -m drivers printer status|test-page|jobs|reprint``, ``python -m drivers.sim printer``.

Stop the kiosk first: a serial port has room for one program. ``jobs`` and ``reprint``
work on the kiosk's print journal (<data_dir>/printer-journal.sqlite3); they show its
times in the terminal's time zone (``[terminal] time_zone`` of the kiosk's config), or in
the machine's when that config cannot be read, and say which.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import qrcode
from PIL import Image

from drivers.cli import CliError
from drivers.printer import commands as c
from drivers.printer.driver import PrinterError, ReceiptPrinter
from drivers.printer.glyphs import draw_line
from drivers.printer.journal import JobState, PrintJournal
from drivers.printer.profiles import PROFILES, PrinterProfile
from drivers.printer.simulator import NetworkPrinterSimulator, PrinterSimulator
from drivers.printer.transport import NetworkLink, SerialTransport

TEST_URL = "https://example.gov.cn/printer-test"
KIOSK_CONFIG = Path("/etc/kiosk/kiosk.toml")
KIOSK_TIME_ZONE = "Asia/Shanghai"  # the kiosk's own default (kiosk.config.TerminalConfig)


def register(devices: argparse._SubParsersAction) -> None:
    parser = devices.add_parser("printer", help="ESC/POS receipt printer")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    status = commands.add_parser(
        "status", help="real-time status (DLE EOT 1-4) and how jobs are confirmed")
    _link_args(status)
    status.set_defaults(run=run_status)
    page = commands.add_parser("test-page", help="print a test page (font, QR, raster)")
    _link_args(page)
    page.add_argument("--profile", choices=sorted(PROFILES), default="raster-only")
    page.add_argument("--width", type=int, choices=(384, 576), default=576)
    page.set_defaults(run=run_test_page)
    jobs = commands.add_parser("jobs", help="unfinished jobs in a print journal")
    jobs.add_argument("--journal", required=True, type=Path)
    _zone_arg(jobs)
    jobs.set_defaults(run=run_jobs)
    again = commands.add_parser("reprint", help="print a failed job of the journal again")
    _link_args(again)
    again.add_argument("--journal", required=True, type=Path)
    again.add_argument("--job", required=True, type=int)
    _zone_arg(again)
    again.set_defaults(run=run_reprint)


def _zone_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=KIOSK_CONFIG,
                        help="the kiosk's config, for the terminal's time zone "
                             f"(default {KIOSK_CONFIG}; unreadable: the machine's zone)")


def time_zone(config: Path) -> tuple[tzinfo | None, dict[str, str]]:
    """The terminal's zone from the kiosk's config, else the machine's (None), and which."""
    try:
        with config.open("rb") as f:
            terminal = tomllib.load(f).get("terminal", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        why = "not found" if isinstance(exc, FileNotFoundError) else type(exc).__name__
        name = datetime.now().astimezone().tzname() or "local"
        return None, {"name": name, "from": f"this machine ({config}: {why})"}
    name = terminal.get("time_zone", KIOSK_TIME_ZONE) if isinstance(terminal, dict) else ""
    try:
        return ZoneInfo(name), {"name": name, "from": f"{config} [terminal] time_zone"}
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise CliError(f"{config}: unknown [terminal] time_zone {name!r}") from None


def _local(job: dict[str, Any], zone: tzinfo | None) -> dict[str, Any]:
    """The job with its times as local clock times, the UTC offset shown."""
    def at(t: float) -> str:
        moment = datetime.fromtimestamp(t, zone) if zone else datetime.fromtimestamp(t).astimezone()
        return moment.isoformat(" ", "seconds")
    return {**job, "created": at(job["created"]), "updated": at(job["updated"])}


def _link_args(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--port", help="serial port, e.g. /dev/ttyS1")
    where.add_argument("--host", help="network printer address (raw TCP)")
    parser.add_argument("--baud", type=int, default=115200)
    parser.add_argument("--tcp-port", type=int, default=9100)


def _printer(args: argparse.Namespace, journal: PrintJournal | None = None,
             profile: PrinterProfile = PROFILES["raster-only"]) -> ReceiptPrinter:
    link = (NetworkLink(args.host, args.tcp_port) if args.host
            else SerialTransport(args.port, args.baud))
    return ReceiptPrinter(width=getattr(args, "width", 576), link=link, journal=journal,
                          profile=profile)


def run_status(args: argparse.Namespace) -> dict[str, Any]:
    printer = _printer(args)
    try:
        start = time.perf_counter()
        try:
            state = printer.state()
        except PrinterError as exc:
            raise CliError(str(exc)) from None
        elapsed = time.perf_counter() - start
        if state is None:
            raise CliError(f"the printer on {printer.link.name} did not answer DLE EOT "
                           "(switched off, unplugged, wrong port or baud rate?)")
        status = printer.status()  # when ready, also probes for GS r 1
    finally:
        printer.close()
    return {"state": status.state.value, "detail": status.detail, "detail_zh": status.detail_zh,
            "action": status.action.value, "paper": (status.paper or "unknown"),
            "usable": status.usable, "query_ms": round(elapsed * 1000, 1),
            # gs_r1: a job is done when GS r 1 answered; status_check: DLE EOT after the job
            "job_confirmation": printer.confirmation.value,
            "status": {"offline": state.offline, "cover_open": state.cover_open,
                       "paper": "out" if state.paper_out else state.paper,
                       "cutter_error": state.cutter_error,
                       "unrecoverable": state.unrecoverable}}


def test_page(profile: PrinterProfile, width: int) -> bytes:
    """Text in the printer's font and a native QR code, or the same as one raster image."""
    lines = ["打印机测试页 Printer test", f"profile {profile.name}, {width} dots",
             "中文字库 GB18030: 社会保障 参保证明", "生僻字 rare: 陶喆 王堃"]
    if profile.native_text:
        out = bytearray(c.CHINESE_ON + c.align("center"))
        for line in lines:  # the last line goes as raster: its rare characters
            if all(c.font_can_print(ch, profile.font_charset) for ch in line):
                out += c.text_line(line)
            else:
                out += c.raster(_row(line))
        quiet = c.feed_dots(24)  # four modules of white around the QR code
        return bytes(out + quiet + c.qr(TEST_URL.encode(), module=6) + quiet)
    code = qrcode.QRCode(box_size=6, border=4)
    code.add_data(TEST_URL)
    qr = code.make_image().get_image().convert("1")
    rows = [_row(line) for line in lines] + [qr]
    page = Image.new("1", (width, sum(r.height for r in rows)), 255)
    y = 0
    for row in rows:
        page.paste(row, ((width - row.width) // 2, y))
        y += row.height
    return c.raster(page, 64)


def _row(text: str) -> Image.Image:
    glyphs = draw_line(text)
    row = Image.new("1", (glyphs.width, 30), 255)
    row.paste(glyphs, (0, 3))
    return row


def run_test_page(args: argparse.Namespace) -> dict[str, Any]:
    printer = _printer(args, profile=PROFILES[args.profile])
    try:
        body = test_page(printer.profile, args.width)
        start = time.perf_counter()
        job = printer.print_job(body, kind="test-page")
    except PrinterError as exc:
        raise CliError(str(exc)) from None
    finally:
        printer.close()
    return {"job": job.as_dict(), "seconds": round(time.perf_counter() - start, 3)}


def run_jobs(args: argparse.Namespace) -> dict[str, Any]:
    if not args.journal.exists():
        raise CliError(f"no print journal at {args.journal}")
    journal = PrintJournal(args.journal)
    try:
        jobs = journal.jobs(JobState.PENDING, JobState.SENDING, JobState.FAILED)
    finally:
        journal.close()
    zone, which = time_zone(args.config)
    return {"time_zone": which, "unfinished": [_local(j.as_dict(), zone) for j in jobs]}


def run_reprint(args: argparse.Namespace) -> dict[str, Any]:
    if not args.journal.exists():
        raise CliError(f"no print journal at {args.journal}")
    printer = _printer(args, journal=PrintJournal(args.journal))
    try:
        job = printer.reprint(args.job)
    except PrinterError as exc:
        raise CliError(str(exc)) from None
    finally:
        printer.close()
        printer.journal.close()
    zone, which = time_zone(args.config)
    return {"time_zone": which, "job": _local(job.as_dict(), zone)}


def register_sim(devices: argparse._SubParsersAction) -> None:
    parser = devices.add_parser("printer", help="receipt printer on a pty (or TCP)")
    parser.add_argument("--out", type=Path, default=Path("var/printer"),
                        help="where printed pages go as PNG")
    parser.add_argument("--baud", type=int, default=115200,
                        help="the printer's line rate; bytes take their wire time at it")
    parser.add_argument("--no-pace", action="store_true", help="take bytes at once")
    parser.add_argument("--link", metavar="PATH", help="also reach the pty through this symlink")
    parser.add_argument("--width", type=int, choices=(384, 576), default=576)
    parser.add_argument("--paper", choices=("ok", "near_end", "out"), default="ok")
    parser.add_argument("--cover-open", action="store_true")
    parser.add_argument("--cutter-error", action="store_true")
    parser.add_argument("--no-answer", action="store_true", help="ignore status requests")
    parser.add_argument("--no-gs-r1", action="store_true",
                        help="answer DLE EOT but not GS r 1 (jobs cannot be confirmed by it)")
    parser.add_argument("--network", action="store_true",
                        help="listen on 127.0.0.1 (TCP) instead of a pty")
    parser.add_argument("--tcp-port", type=int, default=0, help="with --network; 0: any")
    parser.set_defaults(run=run_sim)


def run_sim(args: argparse.Namespace) -> int:
    from drivers.serial_sim import run_until_interrupted

    if args.network:
        sim: PrinterSimulator | NetworkPrinterSimulator = NetworkPrinterSimulator(
            args.out, width=args.width, tcp_port=args.tcp_port)
    else:
        sim = PrinterSimulator(args.out, baud=args.baud, width=args.width,
                               pace=not args.no_pace, link=args.link)
    sim.paper, sim.cover_open, sim.cutter_error = args.paper, args.cover_open, args.cutter_error
    sim.answering = not args.no_answer
    sim.answers_gs_r1 = not args.no_gs_r1
    try:
        sim.start()
    except OSError as exc:
        print(f"python -m drivers.sim printer: cannot start: {exc}", file=sys.stderr)
        return 1
    where = (f"127.0.0.1:{sim.tcp_port}" if isinstance(sim, NetworkPrinterSimulator)
             else sim.port)
    print(where, flush=True)  # first line: the path for the driver, nothing else
    print(f"printer simulator on {where}; pages go to {args.out}/; Ctrl-C stops it",
          file=sys.stderr, flush=True)
    return run_until_interrupted(sim)  # type: ignore[arg-type]  # it only calls stop()
