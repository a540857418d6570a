"""The receipt printer driver: journaled jobs over a link, real-time status with DLE EOT 1-4.

A job is framed (ESC @ ... feed, GS r 1, cut), journaled, then sent in chunks that end
on command boundaries; between chunks DLE EOT 2 asks whether the printer stopped
(paper end, cover, error). The GS r 1 before the cut is answered only once everything
before it has printed, so its answer is what makes a job "done". A job cut short is
marked failed, the printer's buffer is cleared (DLE ENQ 2) so the rest does not print
on top of the next receipt, and it can be printed again with ``reprint``.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import threading
import time
from collections.abc import Callable, Iterator

from PIL import Image

from drivers.device import Action, DeviceState, DeviceStatus
from drivers.events import PORT_MISSING, Detail
from drivers.printer import commands as c
from drivers.printer.escpos_lib import Profile
from drivers.printer.journal import Job, JobError, JobState, PrintJournal
from drivers.printer.profiles import PROFILES, PrinterProfile
from drivers.printer.protocol import EscPosParser
from drivers.printer.status import (
    PrinterState,
    decode_state,
    device_status,
    is_status_reply,
    is_sync_reply,
    status,
    status_from_replies,
)
from drivers.printer.transport import PORT_ERRORS, Link, LinkError, SerialLink

log = logging.getLogger(__name__)

RASTER_ROWS = 64  # rows per GS v 0 block: a chunk boundary every ~4.6 kB at 576 dots
MECHANISM_S = 3.0  # allowance for the print head and cutter after the last byte arrived
PRINTING = Detail("printing", "正在打印")
PORT_ERROR = Detail("port error", "通信端口错误")


class PrinterError(RuntimeError):
    """The printer could not be reached or a job could not be printed."""


class JobFailed(PrinterError):
    def __init__(self, job: Job) -> None:
        super().__init__(f"print job {job.id} failed: {job.detail}")
        self.job = job


class _CutShort(Exception):
    pass


def escpos_profile(width: int) -> Profile:
    """python-escpos profile with our media width and a cutter.

    Without a width python-escpos warns on every image, and without the cut feature
    ``cut()`` silently sends nothing. The data is copied: profile classes share one dict.
    """
    prof = Profile()
    data = copy.deepcopy(prof.profile_data)
    data["media"]["width"] = {"mm": width / 8, "pixels": width}
    data["features"].update(paperFullCut=True, paperPartCut=True, bitImageRaster=True)
    prof.profile_data, prof.features = data, data["features"]
    return prof


class ReceiptPrinter:
    """One printer on one link; the link stays open between jobs and reopens after errors."""

    status_timeout = 0.3  # s for DLE EOT replies: a live printer answers in milliseconds
    chunk_size = 4096

    def __init__(
        self,
        port: str = "",
        baud: int = 115200,
        width: int = 576,
        timeout: float = 1.0,
        *,
        link: Link | None = None,
        journal: PrintJournal | None = None,
        profile: PrinterProfile = PROFILES["raster-only"],
    ) -> None:
        self.width, self.timeout, self.profile = width, timeout, profile
        self.link = link or SerialLink(port, baud, profile=escpos_profile(width), timeout=timeout)
        self.journal = journal or PrintJournal()  # in memory: jobs are not kept across restarts
        self._lock = threading.Lock()  # one job or query on the line at a time

    @property
    def _esc(self) -> object:  # the open python-escpos device (None when closed)
        return self.link._esc

    def close(self) -> None:
        with self._lock:
            self.link.close()

    # -- jobs ---------------------------------------------------------------------------------
    def print_image(self, img: Image.Image, key: str | None = None, kind: str = "image") -> Job:
        """Print img (at most ``width`` dots wide, centred) as GS v 0 raster, feed and cut."""
        if img.width > self.width:
            raise ValueError(f"image is {img.width} dots wide, paper is {self.width}")
        if img.width < self.width:
            page = Image.new("1", (self.width, img.height), 255)
            page.paste(img.convert("1"), ((self.width - img.width) // 2, 0))
            img = page
        return self.print_job(c.raster(img, RASTER_ROWS), key=key, kind=kind)

    def print_job(self, body: bytes, key: str | None = None, kind: str = "") -> Job:
        """Journal the ESC/POS body as a job, then print it. A key already printed is not."""
        sync = c.SYNC if self.profile.confirm_jobs else b""
        job = self.journal.add(c.INIT + body + c.feed(6) + sync + c.CUT_FULL, key, kind)
        if job.state is JobState.DONE:
            log.info("printer: job %d was already printed; not again", job.id)
            return job
        return self._send(job.id)

    def reprint(self, job_id: int) -> Job:
        """Send a failed (or never sent) job again; a done job is refused."""
        return self._send(job_id)

    def unfinished(self) -> list[Job]:
        """Start-up report: jobs that did not finish (an interrupted one becomes failed)."""
        return self.journal.recover()

    def _send(self, job_id: int) -> Job:
        with self._lock:
            try:
                job, payload = self.journal.begin(job_id)
            except JobError as exc:
                raise PrinterError(str(exc)) from None
            log.info("printer: job %d (%s, %d B) attempt %d", job.id, job.kind, job.size,
                     job.attempts)
            try:
                self._transmit(payload)
            except (_CutShort, PrinterError) as exc:
                job = self.journal.fail(job_id, str(exc))
                self._after_failure()
                log.warning("printer: job %d failed: %s", job.id, job.detail)
                raise JobFailed(job) from None
            log.info("printer: job %d done", job.id)
            return self.journal.finish(job_id)

    def _after_failure(self) -> None:
        """Clear the printer's buffer so the rest of a cut-short job does not print later."""
        if self.link.is_open:
            with contextlib.suppress(PORT_ERRORS):
                self.link.write(c.CLEAR_AND_RECOVER, self.timeout)
        self.link.close()  # the next job reopens: a flaky port gets a fresh start

    def _transmit(self, payload: bytes) -> None:
        link = self._open()
        try:
            link.discard_input()
            before = self._query(link)
            if not before.usable:
                raise _CutShort(f"not sent: {before.detail}")
            sent = 0
            for chunk in _chunks(payload, self.chunk_size):
                link.write(chunk, self.timeout + 2 * link.wire_time(len(chunk)))
                sent += len(chunk)
                if sent < len(payload):
                    self._check_mid_job(link, sent, len(payload))
            self._confirm(link, len(payload))
        except PORT_ERRORS as exc:
            raise PrinterError(f"writing to printer {self.link.name} failed: {exc}") from exc

    def _check_mid_job(self, link: Link, sent: int, total: int) -> None:
        link.write(c.status_request(2), self.timeout)
        # The reply queues behind the bytes still on the wire.
        reply = _first(link, is_status_reply, self.status_timeout
                       + link.wire_time(2 * self.chunk_size))
        if reply is None:
            raise _CutShort(f"no answer after {sent} of {total} bytes")
        state = decode_state({2: reply})
        if state.paper_out or state.cover_open or state.error:
            what = device_status(state).detail
            raise _CutShort(f"{what} after {sent} of {total} bytes")

    def _confirm(self, link: Link, total: int) -> None:
        wait = self.timeout + MECHANISM_S + link.wire_time(2 * self.chunk_size)
        if self.profile.confirm_jobs and _first(link, is_sync_reply, wait) is not None:
            return
        after = self._query(link)
        if not after.usable:
            raise _CutShort(f"{after.detail} after {total} of {total} bytes")
        if self.profile.confirm_jobs:
            raise _CutShort("the printer did not confirm the job")

    # -- status -------------------------------------------------------------------------------
    def status(self) -> DeviceStatus:
        """DLE EOT 1-4 in one write; BUSY at once while a job is on the line."""
        if not self._lock.acquire(blocking=False):
            return status(DeviceState.BUSY, PRINTING)
        try:
            try:
                link = self._open()
            except PrinterError:
                return status(DeviceState.NO_DEVICE, PORT_MISSING, Action.MAINTENANCE)
            try:
                link.discard_input()  # drop a late reply to an earlier query
                return self._query(link)
            except PORT_ERRORS:
                self.link.close()
                return status(DeviceState.OFFLINE, PORT_ERROR, Action.MAINTENANCE)
        finally:
            self._lock.release()

    def state(self) -> PrinterState | None:
        """The decoded DLE EOT 1-4 answers (None: no answer), for diagnostics."""
        with self._lock:
            link = self._open()
            link.discard_input()
            replies = self._ask_all(link)
        valid = [r for r in replies if is_status_reply(r)]
        return decode_state(dict(zip((1, 2, 3, 4), valid, strict=False))) if valid else None

    def _query(self, link: Link) -> DeviceStatus:
        return status_from_replies(self._ask_all(link))

    def _ask_all(self, link: Link) -> bytes:
        link.write(c.STATUS_ALL, self.timeout)
        replies = link.read(4, self.status_timeout)
        # Noise on the line is no answer: keep reading briefly for the real replies.
        while replies and sum(map(is_status_reply, replies)) < 4:
            more = link.read(1, self.status_timeout / 3)
            if not more:
                break
            replies += more
        return replies

    def _open(self) -> Link:
        try:
            self.link.open()
        except LinkError as exc:
            raise PrinterError(str(exc)) from None
        return self.link


def _first(link: Link, wanted: Callable[[int], bool], timeout: float) -> int | None:
    """Read until a byte ``wanted`` accepts arrives (others are skipped), or timeout."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        got = link.read(1, left)
        if got and wanted(got[0]):
            return got[0]
    return None


def _chunks(payload: bytes, size: int) -> Iterator[bytes]:
    """Pieces of about ``size`` bytes that end on command boundaries: a status request
    sent between two chunks never lands inside another command's data."""
    parser, start, last = EscPosParser(), 0, 0
    ends = [end for _op, end in parser.feed_with_offsets(payload)] + [len(payload)]
    for end in ends:
        if end - start > size and last > start:
            yield payload[start:last]
            start = last
        last = end
    if start < len(payload):
        yield payload[start:]


def _paper_status(reply: bytes) -> DeviceStatus:
    """A single DLE EOT 4 reply as a DeviceStatus."""
    return status_from_replies(reply, asked=(4,))
