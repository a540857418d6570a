"""What the 交管 screens show: pure functions of the typed answers (no Kivy, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from common.privacy import mask_name, personal
from kiosk.departments.traffic.plates import format_plate
from kiosk.departments.traffic.service import Licence, Violations
from kiosk.departments.traffic.state import Payment
from kiosk.i18n import local
from kiosk.records import Listing, Row, Translate, yuan

STATE_TONES = {"unpaid": "warn", "unprocessed": "bad", "paid": "ok"}
LICENCE_TONES = {"valid": "ok", "expiring": "warn", "expired": "bad"}


def present_violations(v: Violations, t: Translate, lang: str) -> Listing:
    rows = []
    for x in v.violations:
        state = t(f"traffic.state.{x.status}")
        action = ("traffic.pay" if x.payable else
                  "traffic.reprint" if x.status == "paid" and x.paid_order else "")
        rows.append(Row(
            title=local(x.act_zh, x.act_en, lang),
            detail=t("traffic.violation.detail", when=x.occurred_at,
                     place=local(x.place, x.place_en, lang),
                     plate=format_plate(x.plate_masked), points=x.points, state=state),
            value=yuan(x.fine_fen),
            tone=STATE_TONES.get(x.status, ""),
            action=t(action) if action else "",
        ))
    unpaid = [x for x in v.violations if x.payable]
    summary = t("traffic.violations.summary", name=mask_name(v.holder_name), n=len(unpaid),
                amount=yuan(sum(x.fine_fen for x in unpaid)))
    if any(x.status == "unprocessed" for x in v.violations):
        summary += "\n" + t("traffic.unprocessed_hint")
    return Listing(summary, rows, empty=t("traffic.violations.none"))


@personal
@dataclass(frozen=True)
class LicenceView:
    """The driving licence screen, ready to show."""

    holder: str = ""
    licence_class: str = ""
    status: str = ""
    tone: str = ""
    points: str = ""
    points_left: str = ""
    valid_to: str = ""
    note: str = ""
    has_licence: bool = False


def present_licence(lic: Licence | None, t: Translate, lang: str) -> LicenceView:
    if lic is None:
        return LicenceView()
    return LicenceView(
        holder=t("traffic.holder", name=mask_name(lic.holder_name)),
        licence_class=lic.licence_class,
        status=local(lic.status_zh, lic.status_en, lang),
        tone=LICENCE_TONES.get(lic.status, ""),
        points=str(lic.points_deducted),
        points_left=t("traffic.points_left", n=lic.points_left),
        valid_to=lic.valid_to,
        note=t("traffic.probation") if lic.probation else "",
        has_licence=True,
    )


@personal
@dataclass(frozen=True)
class PaymentView:
    """The payment screen's words; the QR code follows ``pay_url``."""

    act: str = ""
    amount: str = ""
    state: str = ""  # "", "pending", "paid", "cancelled", "expired"
    message: str = ""
    pay_url: str = ""  # "": no QR code


def present_payment(payment: Payment | None, t: Translate, lang: str,
                    clock_time) -> PaymentView:
    """``clock_time``: ISO time → "HH:MM" (the screen's, for the order's expiry)."""
    if payment is None:
        return PaymentView()
    order = payment.order
    view = PaymentView(act=local(payment.act_zh, payment.act_en, lang),
                       amount=t("pay.amount", amount=yuan(order.amount_fen)),
                       state=order.status)
    if order.status == "pending":
        key = "pay.checking" if payment.trouble else "pay.waiting"
        return PaymentView(view.act, view.amount, view.state,
                           t(key, until=clock_time(order.expires_at)), order.pay_url)
    return PaymentView(view.act, view.amount, view.state, t(f"pay.{order.status}"))
