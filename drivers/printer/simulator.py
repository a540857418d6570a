"""A receipt printer on a pty: answers DLE EOT from a scriptable state and saves each cut page."""

from __future__ import annotations

import os
import select
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from drivers.printer import protocol as p
from drivers.printer.pages import DEFAULT_FONT, render_pages
from drivers.pty_pair import PtyPair


@dataclass(frozen=True)
class PrintedJob:
    index: int  # 1-based, in cut order
    png_path: Path
    image: Image.Image
    data: bytes  # the bytes since the previous cut, this cut included


class PrinterSimulator:
    """Scriptable state: set `paper` ("ok"/"near_end"/"out"), `cover_open`, `cutter_error`,
    `offline`; `answering = False` makes it ignore status requests, like an unplugged cable.
    """

    poll_interval = 0.05  # s between stop-flag checks while the line is idle

    def __init__(
        self,
        out_dir: Path,
        baud: int | None = None,
        width: int = 576,
        font_path: str = DEFAULT_FONT,
    ) -> None:
        self.out_dir, self.baud, self.width, self.font_path = Path(out_dir), baud, width, font_path
        self.paper, self.cover_open, self.cutter_error, self.offline = "ok", False, False, False
        self.answering = True
        self.received = bytearray()
        self.jobs: list[PrintedJob] = []
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._pty: PtyPair | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> str:
        if self._pty is None:
            raise RuntimeError("simulator not started")
        return self._pty.port

    def start(self) -> PrinterSimulator:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._pty = PtyPair()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="printer-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._pty is not None:
            self._pty.close()
            self._pty = None

    def __enter__(self) -> PrinterSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_for_jobs(self, count: int, timeout: float) -> list[PrintedJob]:
        """Block until `count` jobs were cut (or timeout); returns the jobs so far."""
        with self._cond:
            self._cond.wait_for(lambda: len(self.jobs) >= count, timeout)
            return list(self.jobs)

    def _reply(self, n: int) -> bytes:
        if not self.answering:
            return b""
        reply = p.status_reply(
            n,
            paper=self.paper,
            cover_open=self.cover_open,
            cutter_error=self.cutter_error,
            offline=self.offline,
        )
        return bytes([reply])

    def _run(self) -> None:
        assert self._pty is not None
        fd = self._pty.master_fd
        parser = p.EscPosParser()
        page_ops: list[p.Op] = []
        job_start = 0  # stream offset where the current job's bytes begin
        while not self._stop.is_set():
            ready, _, _ = select.select([fd], [], [], self.poll_interval)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the driver side hung up: wait for it to reopen, or for stop()
                time.sleep(self.poll_interval)
                continue
            if self.baud:  # mimic wire time: 10 bits per byte (8N1)
                time.sleep(len(chunk) * 10 / self.baud)
            self.received += chunk
            for op, end in parser.feed_with_offsets(chunk):
                if isinstance(op, p.StatusRequest):
                    reply = self._reply(op.n)
                    if reply:
                        os.write(fd, reply)
                    continue
                page_ops.append(op)
                if isinstance(op, p.Cut):
                    self._finish_job(page_ops, bytes(self.received[job_start:end]))
                    page_ops, job_start = [], end

    def _finish_job(self, ops: list[p.Op], data: bytes) -> None:
        image = render_pages(ops, self.width, self.font_path)[0]
        index = len(self.jobs) + 1
        path = self.out_dir / f"job-{index:04d}.png"
        image.save(path)
        with self._cond:
            self.jobs.append(PrintedJob(index, path, image, data))
            self._cond.notify_all()
