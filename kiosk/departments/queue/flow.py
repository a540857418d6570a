"""排队取号: business types from the back end, the number from the queue device, a
printed ticket with the people waiting, and the ticket on screen.

The tile needs both: the back end's business types and a queue device that can issue
numbers. A number issued but not printed (printer out of paper ...) is still the
citizen's: the screen shows it and says so.
"""

from __future__ import annotations

import logging
import time

from drivers.events import Detail
from drivers.queue.driver import NOT_CONNECTED
from drivers.queue.link import QueueError
from kiosk.clock import LocalClock
from kiosk.controller import KioskController
from kiosk.declaration import Wiring
from kiosk.departments.queue.service import BusinessType, QueueService
from kiosk.departments.queue.state import QueueState, TicketOutcome
from kiosk.printing.ticket import QueueTicket

log = logging.getLogger(__name__)
ERRORS = {"default": "queue.error"}
SERVICE_TICKET = "queue.ticket"


class QueueFlow:

    def __init__(self, ctl: KioskController, service: QueueService,
                 clock: LocalClock | None = None) -> None:
        self.ctl = ctl
        self.service = service
        # The hall's time (terminal.time_zone), as the attract screen shows it.
        self.clock = clock or LocalClock(ctl.config.terminal.time_zone)

    @property
    def state(self) -> QueueState:
        return self.ctl.session.state(QueueState)

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
        state = self.state
        state.types, state.taking, state.outcome = None, False, None
        self.ctl.query("queue.business_types", "queue",
                       lambda _id: tuple(self.service.business_types()), self._keep, ERRORS)

    def _keep(self, types: tuple[BusinessType, ...]) -> None:
        self.state.types = types

    def take(self, business: BusinessType, lang: str = "zh") -> None:
        """The citizen picked a business type: a number from the device, then print it,
        with English beside the Chinese if the citizen reads the screen in English
        (``lang`` is the app's, as it stood at the tap)."""
        state = self.state
        if state.taking or state.outcome is not None:
            return  # one ticket per visit: a second tap while it prints does nothing
        state.taking = True
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
            waiting=issued.waiting, taken_at=self.clock.now().strftime("%Y-%m-%d %H:%M"),
            site=self.ctl.config.terminal.site,
            business_en=business.name_en, department_en=business.department_en,
        )
        started = time.monotonic()
        try:
            self.ctl.devices.print_job(self.ctl.press.ticket(ticket, lang))
        except Exception as exc:  # the number stands: the screen shows it
            log.warning("queue ticket not printed: %s", type(exc).__name__)
            return TicketOutcome(ticket, business, printed=False)
        log.info("queue ticket printed in %.1f s", time.monotonic() - started)
        return TicketOutcome(ticket, business, printed=True)

    def _issued(self, outcome: TicketOutcome) -> None:
        if outcome.printed:
            self.ctl.document_printed()
        self.state.taking, self.state.outcome = False, outcome
        self._refresh()

    def _failed(self, business: BusinessType, exc: Exception) -> None:
        detail = exc.detail if isinstance(exc, QueueError) else NOT_CONNECTED
        log.warning("no queue number: %s", detail.en)
        self.state.taking = False
        self.state.outcome = TicketOutcome(None, business, problem=detail)
        self._refresh()

    def again(self) -> None:
        """After a failure: back to the business types."""
        self.state.taking, self.state.outcome = False, None
        self._refresh()

    def _refresh(self) -> None:
        if self.ctl.nav:
            self.ctl.nav.refresh()



def build(wiring: Wiring) -> QueueFlow:
    return QueueFlow(wiring.ctl, QueueService(wiring.client))


def tile_problem(flow: QueueFlow) -> Detail | None:
    """The tile needs a queue device that can issue numbers, besides the back end."""
    return flow.device_problem()
