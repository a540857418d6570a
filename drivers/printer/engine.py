"""A receipt printer's behaviour without a line: bytes in, replies out, pages to PNG.

Scriptable state: ``paper`` ("ok"/"near_end"/"out"), ``cover_open``, ``cutter_error``,
``offline``; ``answering = False`` ignores status requests (an unplugged cable);
``answers_gs_r1 = False`` ignores GS r 1 only (a printer that has DLE EOT but not it);
``run_out_of_paper_after(n)`` ends the roll n bytes into the stream. While the printer is
stopped (no paper, cover open, error, offline) it still answers DLE EOT at once, holds
whatever else arrives (GS r 1 included, so it goes unanswered), and resumes the held
data when the fault clears, unless DLE ENQ 2 cleared it first. A page cut short is saved
as a partial job. The simulators (``simulator``) put this on a pty (the shared serial
simulator base) or a TCP socket.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from drivers.printer import protocol as p
from drivers.printer.pages import DEFAULT_FONT, render_pages


@dataclass(frozen=True)
class PrintedJob:
    index: int  # 1-based, in the order pages came out
    png_path: Path
    image: Image.Image
    data: bytes  # the bytes since the previous page, this page's last byte included
    cut: bool = True  # False: the paper ran out (or the job was cleared) mid-page


class PrinterEngine:
    def __init__(self, out_dir: Path, width: int = 576, font_path: str = DEFAULT_FONT) -> None:
        self.out_dir, self.width, self.font_path = Path(out_dir), width, font_path
        self.paper, self.cover_open, self.cutter_error, self.offline = "ok", False, False, False
        self.answering = True
        self.answers_gs_r1 = True
        self.received = bytearray()
        self.jobs: list[PrintedJob] = []
        self._cond = threading.Condition()
        self._parser = p.EscPosParser()
        self._page: list[p.Op] = []
        self._page_start = 0  # stream offset where the current page's bytes begin
        self._held: list[tuple[p.Op, int]] = []
        self._paper_ends_at: int | None = None
        self._parser_base = 0  # stream offset where the current parser started

    def reset(self) -> None:
        """Power on: nothing half-parsed, nothing held, nothing on the current page."""
        self._parser = p.EscPosParser()
        self._page, self._held = [], []
        self._page_start = len(self.received)
        self._parser_base = len(self.received)

    def run_out_of_paper_after(self, n: int) -> None:
        """The roll ends n bytes from now (counted in the stream this printer receives)."""
        self._paper_ends_at = len(self.received) + n

    @property
    def stopped(self) -> bool:
        return self.paper == "out" or self.cover_open or self.cutter_error or self.offline

    def wait_for_jobs(self, count: int, timeout: float) -> list[PrintedJob]:
        """Block until ``count`` pages came out (or timeout); returns the pages so far."""
        with self._cond:
            self._cond.wait_for(lambda: len(self.jobs) >= count, timeout)
            return list(self.jobs)

    def feed(self, chunk: bytes) -> bytes:
        """Take bytes from the line; returns what the printer answers."""
        self.received += chunk
        out = bytearray()
        for op, offset in self._parser.feed_with_offsets(chunk):
            end = self._parser_base + offset
            if isinstance(op, p.StatusRequest):  # real-time: answered even when stopped
                if self.answering:
                    out.append(self._status(op.n))
            elif isinstance(op, p.Recover):
                if op.n == 2:
                    self._clear(end)
            elif self.stopped or self._held:
                self._held.append((op, end))
            else:
                self._print(op, end, out)
        return bytes(out)

    def resume(self) -> bytes:
        """Called when the line is idle: resume held data once the fault has cleared."""
        out = bytearray()
        while self._held and not self.stopped:
            op, end = self._held.pop(0)
            self._print(op, end, out)
        return bytes(out)

    def _status(self, n: int) -> int:
        return p.status_reply(n, paper=self.paper, cover_open=self.cover_open,
                              cutter_error=self.cutter_error, offline=self.offline)

    def _print(self, op: p.Op, end: int, out: bytearray) -> None:
        if self._paper_ends_at is not None and end > self._paper_ends_at:
            self.paper, self._paper_ends_at = "out", None
            self._held.append((op, end))
            return
        if isinstance(op, p.StatusTransmit):  # buffer order: everything before has printed
            if self.answering and self.answers_gs_r1:
                out.append({"ok": 0x00, "near_end": 0x03}.get(self.paper, 0x0C) if op.n == 1
                           else 0x00)
            return
        self._page.append(op)
        if isinstance(op, p.Cut):
            self._finish(end, cut=True)

    def _clear(self, end: int) -> None:
        """DLE ENQ 2: drop the held data; what already printed of the page is a partial page."""
        self._held.clear()
        if any(not isinstance(op, p.Init | p.Other | p.StatusTransmit) for op in self._page):
            self._finish(end, cut=False)
        self._page, self._page_start = [], end

    def _finish(self, end: int, cut: bool) -> None:
        pages = render_pages(self._page, self.width, self.font_path)
        data = bytes(self.received[self._page_start : end])
        self._page, self._page_start = [], end
        if not pages:
            return
        self.out_dir.mkdir(parents=True, exist_ok=True)
        index = len(self.jobs) + 1
        path = self.out_dir / f"job-{index:04d}{'' if cut else '-partial'}.png"
        pages[0].save(path)
        with self._cond:
            self.jobs.append(PrintedJob(index, path, pages[0], data, cut))
            self._cond.notify_all()
