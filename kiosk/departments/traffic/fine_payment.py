"""罚款缴纳: pay a traffic fine by phone, print the receipt, never charge twice.

The back end keeps one payable order per fine; the kiosk sends an idempotency key
made of the session and the fine, stores it before asking, and stores the order
id before showing its QR code (``kiosk/payments.py``). The payment screen polls
the order; while it is pending the citizen is busy with the phone, so the idle
clock is restarted. Paid → the receipt is fetched and printed.

After a restart, ``reconcile`` settles every payment left unfinished: an order the
back end never made is abandoned; one paid while nobody was there is journaled as
``paid_unattended`` (its receipt prints from the violation list, at the citizen's
next visit); a pending one is asked again until it is paid or expires. If the
citizen is still there and asks to pay the same fine, the back end hands back the
same pending order, or says it is paid: the payment resumes, never repeats.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import replace

from kiosk.controller import KioskController
from kiosk.departments.traffic.payments import PaymentStore
from kiosk.departments.traffic.service import Order, TrafficService, Violation
from kiosk.departments.traffic.state import Payment, TrafficState
from kiosk.printing.certificate import Certificate
from kiosk.services.gateway import ServiceError

log = logging.getLogger(__name__)
ERRORS = {"rejected": "traffic.pay_rejected", "default": "traffic.error"}
# How long paying on the phone keeps the session alive. Past it the usual idle
# timeout applies, so a QR code left behind does not stay up for the order's life.
PATIENCE_S = 300


def idempotency_key(session_ref: str, violation_ref: str) -> str:
    """Per fine and session; says nothing about either."""
    return hashlib.sha256(f"{session_ref}:{violation_ref}".encode()).hexdigest()[:32]


class FinePayment:
    def __init__(self, ctl: KioskController, service: TrafficService,
                 store: PaymentStore, clock=time.monotonic) -> None:
        self.ctl = ctl
        self._clock = clock
        self.service = service
        self.store = store
        self._in_flight = ""  # the session whose poll is on the worker

    @property
    def state(self) -> TrafficState:
        return self.ctl.session.state(TrafficState)

    @property
    def current(self) -> Payment | None:
        return self.state.payment

    def start(self, violation: Violation) -> None:
        key = idempotency_key(self.ctl.session.ref, violation.ref)

        def job(_id_number: str) -> Payment:
            self.store.request(key, violation.fine_fen)  # before the request leaves
            try:
                order = self.service.create_order(violation.ref, key)
            except ServiceError as exc:
                if exc.kind in ("rejected", "not_found"):  # answered: no order exists
                    self.store.settle(key, "failed")
                raise  # otherwise reconcile asks the back end what became of the key
            self.store.ordered(key, order.order_id, order.status)  # before the QR shows
            return Payment(key, violation.act_zh, violation.act_en, order,
                           shown_at=self._clock())

        self.state.payment = None
        self.ctl.query("traffic.fine_order", "payment", job, self._keep, ERRORS)

    def _keep(self, payment: Payment) -> None:
        self.state.payment = payment

    def poll(self) -> None:
        """Called by the payment screen every few seconds while it is shown."""
        payment, ref = self.current, self.ctl.session.ref
        if payment is None or payment.order.status != "pending" or self._in_flight == ref:
            return
        self._in_flight = ref

        def job() -> Order:
            order = self.service.order_status(payment.order.order_id)
            if order.status != "pending":
                self._settled(payment, order, ref)
            return order

        self.ctl.background(job, self._update, self._poll_failed)

    def cancel(self) -> None:
        payment = self.current
        if payment is None or payment.order.status != "pending":
            return

        ref = self.ctl.session.ref

        def job() -> Order:
            order = self.service.cancel_order(payment.order.order_id)
            self._settled(payment, order, ref)  # "paid" if the phone was faster
            return order

        self.ctl.background(job, self._update, self._poll_failed, service="traffic.fine_cancel")

    def _settled(self, payment: Payment, order: Order, ref: str) -> None:
        """Worker thread: record the outcome before anyone is told."""
        self.store.settle(payment.key, order.status)
        outcome = "ok" if order.status == "paid" else order.status
        self.ctl.journal.record(ref, "traffic.fine_payment", outcome, 0)

    def _update(self, order: Order) -> None:
        self._in_flight = ""
        payment = self.current
        if payment is None or payment.order.order_id != order.order_id:
            return
        was = payment.order.status
        self.state.payment = replace(payment, order=order, trouble=False)
        if order.status == "pending":
            if self._clock() - payment.shown_at < PATIENCE_S:
                self.ctl.session.touch()  # paying on the phone is not being idle
        elif order.status == "paid" and was != "paid":
            self.print_receipt(order.order_id, payment.key)
            return
        self._refresh()

    def _poll_failed(self, exc: Exception) -> None:
        self._in_flight = ""
        log.info("payment status unknown for now: %s", type(exc).__name__)
        payment = self.current
        if payment is not None:
            self.state.payment = replace(payment, trouble=True)
            self._refresh()

    def _refresh(self) -> None:
        if self.ctl.nav:
            self.ctl.nav.refresh()

    def print_receipt(self, order_id: str, key: str | None = None) -> None:
        """Print the receipt of a paid order: right after paying, or again later."""
        def issue(_id_number: str) -> Certificate:
            cert = self.service.receipt(order_id)
            if key:
                self.store.settle(key, "receipt")
            return cert

        self.ctl.print_certificate("traffic.fine_receipt", "traffic", issue)

    # -- after a restart, and every minute (worker thread) --------------------------
    def reconcile(self) -> dict[str, int]:
        """Settle unfinished payments against the back end; counts per new state."""
        live = self.current.key if self.current else None
        counts: dict[str, int] = {}
        for stored in self.store.unfinished():
            if stored.key == live:
                continue  # on screen right now: the payment screen follows it
            try:
                state = self._settle_one(stored.key, stored.order_id, stored.state)
            except ServiceError as exc:
                log.info("payments wait for the back end: %s", exc.kind)
                break
            if state:
                counts[state] = counts.get(state, 0) + 1
        return counts

    def _settle_one(self, key: str, order_id: str | None, state: str) -> str:
        started = time.monotonic()
        if state == "requested":
            try:
                order = self.service.find_order(key)
            except ServiceError as exc:
                if exc.kind != "not_found":
                    raise
                self.store.settle(key, "abandoned")
                return "abandoned"
            self.store.ordered(key, order.order_id, order.status)
            state = order.status
            order_id = order.order_id
        elif state == "pending" and order_id:
            state = self.service.order_status(order_id).status
        if state == "paid" and order_id and self.store.settled_elsewhere(order_id, key):
            self.store.settle(key, "resumed")  # paid and recorded in a later session
            return "resumed"
        if state == "paid":
            log.info("a fine was paid while nobody was at the kiosk; its receipt can be"
                     " printed from the violation list")
            self.store.settle(key, "reported")
            self.ctl.journal.record("", "traffic.fine_payment", "paid_unattended",
                                    time.monotonic() - started)
            return "reported"
        if state in ("cancelled", "expired"):
            self.store.settle(key, state)
            return state
        return ""  # still pending: asked again next time
