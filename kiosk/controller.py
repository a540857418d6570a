"""What happens when the citizen acts: the glue between session, devices and services.

No Kivy here. The app gives it ``post`` (through the worker) and a ``Navigator``
(show a screen, refresh what is shown). Department flows (``kiosk/departments/``)
are thin: they name a service and a screen and call ``query`` or ``print_certificate``,
which run the slow part on the worker, journal its outcome, and hand the answer
to the session that asked for it, and to no other.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from drivers.device import DeviceStatus
from drivers.idcard.protocol import IdCard
from drivers.sscard.protocol import SocialSecurityCard
from kiosk.config import KioskConfig
from kiosk.declaration import Department
from kiosk.journal import Journal
from kiosk.printing.certificate import Certificate
from kiosk.printing.printable import Press, PrintJob
from kiosk.services.gateway import ServiceError
from kiosk.services.ratings import RatingService
from kiosk.session import Citizen, Phase, Session
from kiosk.worker import Worker

log = logging.getLogger(__name__)
F = TypeVar("F")
T = TypeVar("T")


class Navigator(Protocol):
    def show(self, screen: str) -> None: ...
    def refresh(self) -> None: ...


class Devices(Protocol):
    """What the controller needs of the device hub."""

    @property
    def statuses(self) -> dict[str, DeviceStatus]: ...
    def print_image(self, image) -> None: ...
    def print_job(self, job: PrintJob) -> None: ...
    def rearm_card(self) -> None: ...


# 好差评: a score this low asks why. A fixed list, so the reasons are the same codes on
# every kiosk (the statistics compare them), need no back end to be shown (a rating
# is journaled while the back end is down), and come in both languages from strings.toml.
LOW_SCORE = 2
LOW_RATING_REASONS = ("slow", "unclear", "not_done", "wrong", "device", "help")

PHASE_SCREENS = {
    Phase.IDLE: "attract",
    Phase.IDENTIFYING: "identify",
    Phase.RATING: "rating",
    Phase.ENDED: "ended",
}


class KioskController:
    def __init__(
        self,
        config: KioskConfig,
        session: Session,
        worker: Worker,
        ratings: RatingService,
        devices: Devices,
        journal: Journal,
    ):
        self.config = config
        self.session = session
        self.devices = devices
        self._worker = worker
        self._ratings = ratings
        self._journal = journal
        self.flows: dict[type, Any] = {}  # SocialSecurityFlow → its one instance, ...
        self._by_department: dict[Department, Any] = {}
        self.press = Press(config)  # renders every document for the printer at hand
        self.nav: Navigator | None = None
        # What the current screen shows besides session data: "loading", an error key...
        self.notice: str = ""
        self.print_state: str = ""  # "", "printing", "done", "failed"
        self.return_screen = "home"  # where "back" leads from the printing screen
        self.out_of_service = False  # set remotely: no new session may start
        self._visit_started = 0.0  # monotonic time of the visit's first touch
        self._visit_printed = False
        self._rating_reasons: tuple[str, ...] = ()  # given with the rating, journaled with it
        session.subscribe(self._on_phase)

    # -- navigation follows the session --------------------------------------
    def _on_phase(self, old: Phase, new: Phase) -> None:
        if new is Phase.IDENTIFYING:
            self._visit_started, self._visit_printed = time.monotonic(), False
        elif new is Phase.ENDED:
            self._journal_end()
        screen = PHASE_SCREENS.get(new)
        if new is Phase.IN_SERVICE and old is Phase.IDENTIFYING:
            screen = "home"
        if new in (Phase.ENDED, Phase.IDLE):
            self.notice = ""
            self.print_state = ""
        if screen:
            self._show(screen)
        else:
            self._refresh()

    # -- the citizen's path (UI thread) ----------------------------------------
    def start(self) -> None:
        if self.session.phase is Phase.IDLE and not self.out_of_service:
            self.session.start()
            self.devices.rearm_card()

    def card_read(self, card: IdCard) -> None:
        if self.session.phase is not Phase.IDENTIFYING:
            return  # a card left on the reader outside identification is ignored
        # display_name: a foreigner's permanent residence card may carry only an English name.
        self.session.identified(
            Citizen(card.display_name, card.id_number, card.sex, card.birth)
        )

    def sscard_read(self, card: SocialSecurityCard) -> None:
        """A social security card identifies the citizen as an ID card does (its number is
        the citizen's ID number)."""
        if self.session.phase is not Phase.IDENTIFYING:
            return
        self.session.identified(Citizen(card.name, card.ssn, card.sex, card.birth_date))

    def finish(self) -> None:
        if self.session.phase in (Phase.IN_SERVICE, Phase.PRINTING):
            self.session.finish()

    def cancel(self) -> None:
        self.session.end("cancelled")

    # -- what flows build on ---------------------------------------------------
    def add_flow(self, department: Department, flow: object) -> None:
        self.flows[type(flow)] = flow
        self._by_department[department] = flow

    def department_flow(self, department: Department) -> Any:
        """The flow ``department`` built (its tile opens it)."""
        return self._by_department[department]

    def flow(self, kind: type[F]) -> F:
        """The department flow of class ``kind`` (typed: a wrong name fails a type check)."""
        return self.flows[kind]

    def query(
        self,
        service: str,
        screen: str,
        job: Callable[[str], T],
        keep: Callable[[T], None],
        errors: dict[str, str] | None = None,
    ) -> None:
        """Ask a back end for the citizen (``job(id_number)``) and show ``screen``.

        The answer goes to ``keep`` (which puts it in the department's typed state), for
        this session only; a failure sets ``notice`` to ``errors[kind]``, else
        ``errors["default"]``, else a generic message. The flow empties its state's
        field before asking, so the screen shows "loading", not the last answer.
        """
        citizen = self.session.citizen
        if citizen is None:
            return
        self.session.choose(service)
        self.notice = "common.loading"
        self._show(screen)
        ref = self.session.ref

        def arrived(value: T) -> None:
            if self.session.ref == ref and self.session.citizen is not None:
                keep(value)
                self.notice = ""
                self._refresh()

        def failed(exc: Exception) -> None:
            if self.session.ref == ref and self.session.citizen is not None:
                kind = exc.kind if isinstance(exc, ServiceError) else "error"
                generic = "service.not_found" if kind == "not_found" else "service.error"
                keys = errors or {}
                self.notice = keys.get(kind) or keys.get("default") or generic
                self._refresh()

        self._worker.run(self._journaled(service, job, citizen.id_number), arrived, failed)

    def print_certificate(
        self, service: str, return_screen: str, issue: Callable[[str], Certificate]
    ) -> None:
        """Issue (``issue(id_number)`` asks a back end), render for this printer and print;
        journaled under ``service``. The one way a department prints a document."""
        citizen = self.session.citizen
        if citizen is None or self.session.phase is not Phase.IN_SERVICE:
            return
        self.session.choose(service)  # what the rating will be about
        self.session.begin_printing()
        self.print_state = "printing"
        self.return_screen = return_screen
        self._show("printing")

        def job(id_number: str) -> None:
            self.devices.print_job(self.press.certificate(issue(id_number)))

        self._worker.run(
            self._journaled(service, job, citizen.id_number), self._printed, self._print_failed
        )

    def _journal_end(self) -> None:
        """The session ended: its rating, if any, then the whole visit (how it ended, how
        long, whether it printed), written in that order on the ordered writer."""
        s = self.session
        service = s.service or "none"
        rating = (s.ref, service, s.rating, list(self._rating_reasons)) if s.rating else None
        visit = (s.ref, service, s.end_reason or "unknown",
                 time.monotonic() - self._visit_started, self._visit_printed)

        def write() -> None:
            if rating:
                self._journal.rate(*rating)
            self._journal.visit(*visit)

        def written(_r: None) -> None:
            if rating:  # sent at once; what the back end does not take waits in the journal
                self._worker.run(self.deliver_ratings, lambda _r: None, self._journal_failed)

        self._worker.run_in_order(write, written, self._journal_failed)

    def document_printed(self) -> None:
        """Something was printed in this visit (the journal's visit row says so)."""
        self._visit_printed = True

    def _printed(self, _result: None) -> None:
        self.document_printed()
        if self.session.phase is Phase.PRINTING:
            self.print_state = "done"
            self.session.printing_done()

    def _print_failed(self, exc: Exception) -> None:
        log.warning("printing failed: %s", type(exc).__name__)
        if self.session.phase is Phase.PRINTING:
            self.print_state = "failed"
            self.notice = "service.error" if isinstance(exc, ServiceError) else "print.printer_down"
            self.session.printing_done()

    def background(
        self,
        job: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[Exception], None] | None = None,
        *,
        service: str | None = None,
        session_bound: bool = True,
    ) -> None:
        """Run ``job`` on the worker without changing screens (a poll, a reconciliation).

        Journaled under ``service`` if given. A session-bound outcome reaches only the
        session that asked; otherwise it always arrives (work nobody is waiting for).
        """
        ref = self.session.ref

        def current() -> bool:
            return not session_bound or (
                self.session.ref == ref and self.session.citizen is not None
            )

        def ok(value: Any) -> None:
            if current():
                done(value)

        def bad(exc: Exception) -> None:
            if current() and failed is not None:
                failed(exc)

        self._worker.run(self._journaled(service, job) if service else job, ok, bad)

    @property
    def journal(self) -> Journal:
        return self._journal

    # -- ratings ---------------------------------------------------------------
    def rate(self, score: int, reasons: tuple[str, ...] = ()) -> None:
        """The citizen's rating ends the session; it is journaled with the visit. A low
        score (1-2) carries the reasons picked (codes of ``LOW_RATING_REASONS``, others
        dropped); a higher one carries none."""
        picked = [r for r in LOW_RATING_REASONS if r in reasons] if score <= LOW_SCORE else []
        self._rating_reasons = tuple(picked)
        try:
            self.session.rate(score)  # ends the session (and journals) unless it raises
        finally:
            self._rating_reasons = ()

    def deliver_ratings(self) -> None:
        """Worker thread: send journaled ratings the back end has not taken yet."""
        terminal = self.config.terminal.id
        for rating in self._journal.pending_ratings():
            try:
                self._ratings.submit(
                    terminal, rating.service, rating.score, rating.reasons,
                    rating_ref=rating.session_ref,
                )
            except ServiceError as exc:
                log.info("ratings wait in the journal: back end %s", exc.kind)
                return
            self._journal.delivered(rating.id)

    # -- plumbing --------------------------------------------------------------
    def _journaled(self, service: str, job: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        """``job`` for the worker, journaling its outcome before the citizen sees it."""
        ref = self.session.ref

        def run() -> Any:
            started = time.monotonic()
            outcome = "failed"
            try:
                result = job(*args)
                outcome = "ok"
                return result
            except ServiceError as exc:
                outcome = exc.kind
                raise
            finally:
                self._journal.record(ref, service, outcome, time.monotonic() - started)

        return run

    @staticmethod
    def _journal_failed(exc: Exception) -> None:
        log.error("journal or rating delivery failed: %s", type(exc).__name__)

    def _show(self, screen: str) -> None:
        if self.nav:
            self.nav.show(screen)

    def _refresh(self) -> None:
        if self.nav:
            self.nav.refresh()
