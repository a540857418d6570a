"""The receipt printer: journaled jobs over a link, real-time status with DLE EOT 1-4.

A job is framed (ESC @ ... feed, GS r 1, cut), journaled, then sent in chunks that end
on command boundaries; between chunks DLE EOT 2 asks whether the printer stopped
(paper end, cover, error). The GS r 1 before the cut is answered only once everything
before it has printed, so its answer is what makes a job "done". A job cut short is
marked failed, the printer's buffer is cleared (DLE ENQ 2) so the rest does not print
on top of the next receipt, and it can be printed again with ``reprint``.

Not every printer answers GS r 1. Once the link is (re)opened and the printer says it
is ready, one GS r 1 probes it (``confirmation``); a printer that does not answer gets
its jobs without it and each one checked with DLE EOT after the last byte instead
(weaker: "all bytes taken, no fault after them", not "printed"). Config can fix the
choice (``confirm``: "auto", "gs_r1" or "status"). ``drivers/printer/device.py`` puts
this on a thread of its own (the driver contract).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from enum import StrEnum

from PIL import Image

from drivers.device import Action, DeviceState, DeviceStatus, PaperLevel
from drivers.events import PORT_MISSING, Detail
from drivers.printer import commands as c
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
from drivers.printer.transport import TRANSPORT_ERRORS, Link, SerialTransport
from drivers.serial_link import LinkError

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


class Confirmation(StrEnum):
    """How a job is known to be done."""

    GS_R1 = "gs_r1"  # the printer answers GS r 1 after everything before it printed
    STATUS_CHECK = "status_check"  # no GS r 1: DLE EOT after the last byte says no fault
    UNKNOWN = "unknown"  # not probed yet (the printer was not ready to be asked)


CONFIRM_MODES = ("auto", "gs_r1", "status")  # config: probe, or fix the choice
JOB_END = c.SYNC + c.CUT_FULL  # how every journaled job ends


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
        confirm: str = "auto",
    ) -> None:
        if confirm not in CONFIRM_MODES:
            raise ValueError(f"confirm must be one of {CONFIRM_MODES}, got {confirm!r}")
        self.width, self.timeout, self.profile = width, timeout, profile
        self.link = link or SerialTransport(port, baud, timeout=timeout)
        self.journal = journal or PrintJournal()  # in memory: jobs are not kept across restarts
        self._lock = threading.Lock()  # one job or query on the line at a time
        self.confirm = confirm
        self.confirmation = {"gs_r1": Confirmation.GS_R1, "status": Confirmation.STATUS_CHECK
                             }.get(confirm, Confirmation.UNKNOWN)  # fmt: skip
        self._paper = PaperLevel.UNKNOWN  # the last level the printer reported

    @property
    def _esc(self) -> object:  # the open device (None when closed)
        return self.link.device

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
        job = self.journal.add(c.INIT + body + c.feed(6) + JOB_END, key, kind)
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
            with contextlib.suppress(*TRANSPORT_ERRORS):
                self.link.write(c.CLEAR_AND_RECOVER, self.timeout)
        self.link.close()  # the next job reopens: a flaky port gets a fresh start

    def _transmit(self, payload: bytes) -> None:
        link = self._open()
        try:
            link.discard_input()
            before = self._query(link)
            if not before.usable:
                raise _CutShort(f"not sent: {before.detail}")
            self._probe_if_due(link)
            if self.confirmation is not Confirmation.GS_R1 and payload.endswith(JOB_END):
                payload = payload[: -len(JOB_END)] + c.CUT_FULL  # it would go unanswered
            sent = 0
            for chunk in _chunks(payload, self.chunk_size):
                link.write(chunk, self.timeout + 2 * link.wire_time(len(chunk)))
                sent += len(chunk)
                if sent < len(payload):
                    self._check_mid_job(link, sent, len(payload))
            self._confirm(link, len(payload))
        except TRANSPORT_ERRORS as exc:
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
        on_wire = link.wire_time(2 * self.chunk_size)
        by_sync = self.confirmation is Confirmation.GS_R1
        wait = self.timeout + MECHANISM_S + on_wire
        if by_sync and _first(link, is_sync_reply, wait) is not None:  # a reply may be 0x00
            return
        # The DLE EOT queues behind the bytes still on the wire: its answer comes after them.
        after = self._query(link, on_wire)
        if not after.usable:
            raise _CutShort(f"{after.detail} after {total} of {total} bytes")
        if by_sync:
            raise _CutShort("the printer did not confirm the job")

    def _probe_if_due(self, link: Link) -> None:
        """Ask once per connection whether the printer answers GS r 1 (it is ready now,
        so a printer that does answer does so at once)."""
        if self.confirm != "auto" or self.confirmation is not Confirmation.UNKNOWN:
            return
        link.write(c.SYNC, self.timeout)
        answered = _first(link, is_sync_reply, self.status_timeout) is not None
        self.confirmation = Confirmation.GS_R1 if answered else Confirmation.STATUS_CHECK
        log.info("printer: jobs confirmed by %s", self.confirmation.value)

    # -- status -------------------------------------------------------------------------------
    def status(self) -> DeviceStatus:
        """DLE EOT 1-4 in one write; BUSY at once while a job is on the line."""
        if not self._lock.acquire(blocking=False):
            return status(DeviceState.BUSY, PRINTING, paper=self._paper)
        try:
            try:
                link = self._open()
            except PrinterError:
                return status(DeviceState.NO_DEVICE, PORT_MISSING, Action.MAINTENANCE)
            try:
                link.discard_input()  # drop a late reply to an earlier query
                now = self._query(link)
                if now.usable:  # at start-up and after a reconnect: what does it support?
                    self._probe_if_due(link)
                return now
            except TRANSPORT_ERRORS:
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

    def _query(self, link: Link, on_wire: float = 0.0) -> DeviceStatus:
        now = status_from_replies(self._ask_all(link, on_wire))
        self._paper = now.paper or PaperLevel.UNKNOWN
        return now

    def _ask_all(self, link: Link, on_wire: float = 0.0) -> bytes:
        link.write(c.STATUS_ALL, self.timeout)
        replies = link.read(4, self.status_timeout + on_wire)
        # Noise on the line is no answer: keep reading briefly for the real replies.
        while replies and sum(map(is_status_reply, replies)) < 4:
            more = link.read(1, self.status_timeout / 3)
            if not more:
                break
            replies += more
        return replies

    def _open(self) -> Link:
        if not self.link.is_open and self.confirm == "auto":
            self.confirmation = Confirmation.UNKNOWN  # maybe another printer now: ask again
        try:
            self.link.open()
        except LinkError as exc:
            self._paper = PaperLevel.UNKNOWN
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
