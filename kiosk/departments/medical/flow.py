"""医保: status, the account's spending (on the records screen), the e-voucher QR code,
异地就医备案 after a confirmation, and the printed 参保凭证.

A filing is never made twice: its idempotency key is made of the session and the form,
so sending the same form again (after a lost answer) sends the same key and the back end
hands back the same filing; when the answer is lost the kiosk asks the status, which
shows a filing in force if it arrived. The screens follow ``state.step``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from kiosk.controller import KioskController
from kiosk.declaration import Wiring
from kiosk.departments.medical.presenters import VoucherView, present_spending, present_voucher
from kiosk.departments.medical.service import (
    Filing,
    FilingOptions,
    MedicalService,
    MedicalStatus,
    Voucher,
)
from kiosk.departments.medical.state import FilingDraft, FilingStep, MedicalState
from kiosk.records import RecordsView, show_records
from kiosk.services.gateway import ServiceError

CHINA = timezone(timedelta(hours=8))
ERRORS = {"not_found": "medical.not_found", "default": "medical.error"}
VOUCHER_ERRORS = {"rejected": "medical.not_insured", "default": "medical.voucher_error"}
SERVICE_FILING = "mi.filing"
NOT_INSURED = ("本年度未参保或已暂停参保", "you are not insured this year, or insurance is "
               "suspended")


def filing_key(session_ref: str, draft: FilingDraft) -> str:
    """Per session and form: the same form resent is the same filing; says nothing."""
    text = f"{session_ref}:mi-filing:{draft.city_code}:{draft.reason}:{draft.start_date}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def china_today() -> date:
    return datetime.now(CHINA).date()


class MedicalFlow:
    def __init__(self, ctl: KioskController, service: MedicalService,
                 clock: Callable[[], float] = time.monotonic,
                 today: Callable[[], date] = china_today) -> None:
        self.ctl = ctl
        self.service = service
        self._clock = clock
        self.today = today

    @property
    def state(self) -> MedicalState:
        return self.ctl.session.state(MedicalState)

    def _refresh(self) -> None:
        if self.ctl.nav:
            self.ctl.nav.refresh()

    # -- status, account, certificate ------------------------------------------------
    def open(self) -> None:
        self.state.status = None
        self.ctl.query("mi.status", "mi_status", self.service.status, self._keep_status, ERRORS)

    def _keep_status(self, status: MedicalStatus) -> None:
        self.state.status = status

    def account(self) -> None:
        view = RecordsView("medical.records_title", present_spending, back="mi_status")
        show_records(self.ctl, "mi.account", view, self.service.account, ERRORS)

    def print_certificate(self) -> None:
        self.ctl.print_certificate("mi.certificate", "mi_status", self.service.certificate)

    # -- e-voucher ---------------------------------------------------------------------
    def voucher(self) -> None:
        """A fresh QR payload (also what "refresh" does)."""
        self.state.voucher = None
        self.ctl.query("mi.e_voucher", "mi_voucher", self.service.voucher, self._keep_voucher,
                       VOUCHER_ERRORS)

    def _keep_voucher(self, voucher: Voucher) -> None:
        self.state.voucher, self.state.voucher_shown_at = voucher, self._clock()

    def voucher_view(self, lang: str) -> VoucherView | None:
        """Called every second by the voucher screen; scanning is not being idle."""
        voucher = self.state.voucher
        if voucher is None:
            return None
        view = present_voucher(voucher.qr_payload, voucher.valid_seconds,
                               self._clock() - self.state.voucher_shown_at, lang)
        if not view.expired:
            self.ctl.session.touch()
        return view

    # -- 异地就医备案 ------------------------------------------------------------------
    def start_filing(self) -> None:
        status = self.state.status
        if status is None or not status.insured or status.filing is not None:
            return
        self.state.draft, self.state.step = FilingDraft(), FilingStep("form")
        if self.state.options is not None:
            if self.ctl.nav:
                self.ctl.nav.show("mi_filing")
            return
        self.ctl.query("mi.filing_options", "mi_filing",
                       lambda _id: self.service.filing_options(), self._keep_options, ERRORS)

    def _keep_options(self, options: FilingOptions) -> None:
        self.state.options = options

    def _draft(self, **change: str) -> None:
        if self.state.step.name == "form":
            self.state.draft = replace(self.state.draft, **change)
            self._refresh()

    def choose_city(self, code: str) -> None:
        self._draft(city_code=code)

    def choose_reason(self, code: str) -> None:
        self._draft(reason=code)

    def choose_start(self, iso_date: str) -> None:
        self._draft(start_date=iso_date)

    def review(self) -> None:
        if self.state.step.name == "form" and self.state.draft.complete:
            self._go(FilingStep("confirm"))

    def change(self) -> None:
        if self.state.step.name == "confirm":
            self._go(FilingStep("form"))

    def _go(self, step: FilingStep) -> None:
        self.state.step = step
        self._refresh()

    def confirm(self) -> None:
        """Send the filing (confirmed, or sent again after an unknown outcome)."""
        citizen = self.ctl.session.citizen
        if citizen is None or self.state.step.name not in ("confirm", "not_done", "unknown",
                                                            "down"):
            return
        draft, ref = self.state.draft, self.ctl.session.ref
        key, id_number = filing_key(ref, draft), citizen.id_number
        self.ctl.session.choose(SERVICE_FILING)
        self._go(FilingStep("sending"))
        state = self.state

        def job() -> tuple[FilingStep, MedicalStatus | None]:
            started = time.monotonic()
            step, status = self._send(id_number, key, draft)
            self.ctl.journal.record(ref, SERVICE_FILING, _OUTCOMES.get(step.name, step.name),
                                    time.monotonic() - started)
            return step, status

        def done(outcome: tuple[FilingStep, MedicalStatus | None]) -> None:
            step, status = outcome
            if status is not None:
                state.status = status
            elif step.filing is not None and state.status is not None:
                state.status = state.status.model_copy(update={"filing": step.filing})
            self._go(step)

        self.ctl.background(job, done, lambda _exc: self._go(FilingStep("unknown")))

    def _send(self, id_number: str, key: str, draft: FilingDraft
              ) -> tuple[FilingStep, MedicalStatus | None]:
        """Worker thread: file, and if the answer is lost, find out from the status."""
        try:
            filing = self.service.file(id_number, key, draft.city_code, draft.reason,
                                       draft.start_date)
        except ServiceError as exc:
            if exc.kind == "unavailable":  # never reached the back end
                return FilingStep("down"), None
            status = self._status_or_none(id_number)
            if exc.kind in ("rejected", "not_found"):  # answered: nothing was filed now
                if status is not None and status.filing is not None:
                    return FilingStep("already", status.filing), status
                return FilingStep("refused", why=NOT_INSURED[0], why_en=NOT_INSURED[1]), status
            if status is None:
                return FilingStep("unknown"), None
            if status.filing is not None and _same(status.filing, draft):
                return FilingStep("filed", status.filing), status  # it arrived
            return FilingStep("not_done"), status  # the same key may be sent again
        return FilingStep("filed", filing), None

    def _status_or_none(self, id_number: str) -> MedicalStatus | None:
        try:
            return self.service.status(id_number)
        except ServiceError:
            return None


def _same(filing: Filing, draft: FilingDraft) -> bool:
    return (filing.city_code, filing.reason, filing.start_date) == (
        draft.city_code, draft.reason, draft.start_date)


_OUTCOMES = {"filed": "ok", "down": "unavailable"}


def build(wiring: Wiring) -> MedicalFlow:
    return MedicalFlow(wiring.ctl, MedicalService(wiring.client))
