"""排队取号: business types from the back end, the number from the queue device, a
printed ticket with the people waiting, and the ticket on screen.

The tile needs both: the back end's business types and a queue device that can issue
numbers. A number issued but not printed (printer out of paper ...) is still the
citizen's: the screen shows it and says so.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from drivers.events import Detail
from drivers.queue.driver import NOT_CONNECTED
from drivers.queue.link import QueueError
from kiosk.controller import KioskController
from kiosk.printing.ticket import QueueTicket, render_ticket
from kiosk.services.queue import BusinessType, QueueService

log = logging.getLogger(__name__)
TYPES_KEY = "queue.types"  # session.results: the business types shown
TICKET_KEY = "queue.ticket"  # session.results: a TicketOutcome, or "taking"
ERRORS = {"default": "queue.error"}
SERVICE_TICKET = "queue.ticket"
CHINA = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class TicketOutcome:
    ticket: QueueTicket | None  # None: the device issued no number
    business: BusinessType
    printed: bool = False
    problem: Detail | None = None  # the device's reason for issuing no number


class QueueFlow:
    department = "queue"

    def __init__(self, ctl: KioskController, service: QueueService,
                 clock=lambda: datetime.now(CHINA)) -> None:
        self.ctl = ctl
        self.service = service
        self._clock = clock

    def device_problem(self) -> Detail | None:
        """Why the queue device cannot issue a number now, in zh and en; None if it can."""
        status = self.ctl.devices.statuses.get("queue")
        if status is None:
            return NOT_CONNECTED  # none configured
        if status.usable or status.state.value == "starting":
            return None
        if not status.detail:
            return NOT_CONNECTED
        return Detail(status.detail, status.detail_zh or status.detail)

    def open(self) -> None:
        self.ctl.session.results.pop(TICKET_KEY, None)
        self.ctl.query("queue.business_types", TYPES_KEY, "queue",
                       lambda _id: self.service.business_types(), ERRORS)

    def take(self, business: BusinessType, lang: str = "zh") -> None:
        """The citizen picked a business type: a number from the device, then print it,
        with English beside the Chinese if the citizen reads the screen in English
        (``lang`` is the app's, as it stood at the tap)."""
        results = self.ctl.session.results
        if results.get(TICKET_KEY) is not None:
            return  # one ticket per visit: a second tap while it prints does nothing
        results[TICKET_KEY] = "taking"
        self.ctl.session.choose(SERVICE_TICKET)
        if self.ctl.nav:
            self.ctl.nav.refresh()
        self.ctl.background(lambda: self._issue(business, lang), self._issued,
                            lambda exc: self._failed(business, exc), service=SERVICE_TICKET)

    def _issue(self, business: BusinessType, lang: str) -> TicketOutcome:
        """Worker thread. Raises QueueError if no number was issued."""
        device = getattr(self.ctl.devices, "queue", None)
        if device is None:
            raise QueueError("offline", NOT_CONNECTED)
        issued = device.take_ticket(business.code)
        ticket = QueueTicket(
            number=issued.text, business_zh=business.name_zh,
            department_zh=business.department_zh, windows=business.windows,
            waiting=issued.waiting, taken_at=self._clock().strftime("%Y-%m-%d %H:%M"),
            site=self.ctl.config.terminal.site,
            business_en=business.name_en, department_en=business.department_en,
        )
        terminal, font = self.ctl.config.terminal, str(self.ctl.config.display.font)
        width = self.ctl.config.devices.printer.width_dots
        started = time.monotonic()
        try:
            self.ctl.devices.print_image(
                render_ticket(ticket, terminal.site_name, font, width, lang=lang))
        except Exception as exc:  # the number stands: the screen shows it
            log.warning("queue ticket not printed: %s", type(exc).__name__)
            return TicketOutcome(ticket, business, printed=False)
        log.info("queue ticket printed in %.1f s", time.monotonic() - started)
        return TicketOutcome(ticket, business, printed=True)

    def _issued(self, outcome: TicketOutcome) -> None:
        if outcome.printed:
            self.ctl.document_printed()
        self.ctl.session.results[TICKET_KEY] = outcome
        self._refresh()

    def _failed(self, business: BusinessType, exc: Exception) -> None:
        detail = exc.detail if isinstance(exc, QueueError) else NOT_CONNECTED
        log.warning("no queue number: %s", detail.en)
        self.ctl.session.results[TICKET_KEY] = TicketOutcome(None, business, problem=detail)
        self._refresh()

    def again(self) -> None:
        """After a failure: back to the business types."""
        self.ctl.session.results.pop(TICKET_KEY, None)
        self._refresh()

    def _refresh(self) -> None:
        if self.ctl.nav:
            self.ctl.nav.refresh()

