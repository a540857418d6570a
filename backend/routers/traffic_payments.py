"""罚款缴纳: payment orders for traffic fines, never charged twice.

One payable order per fine at a time: asking again with the same idempotency key
returns the same order, and asking with another key while an order is pending
returns that pending order too. A pending order is paid once (by the citizen's
phone; in the demo, ``POST /api/v1/_demo/pay/{order}``), cancelled, or expires
after ``ORDER_TTL``. Every state change is one conditional UPDATE, so a payment
and a cancellation racing each other cannot both win.
"""

from __future__ import annotations

import base64
import secrets
import sqlite3
from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend import certificates, db
from backend.errors import ERROR_RESPONSES, ApiError, ErrorBody, not_found
from backend.models import CertificateOut, StrictRequest
from backend.routers.traffic import mask_plate
from backend.settings import API_PREFIX, CHINA_TZ, Settings, SettingsDep

router = APIRouter(prefix="/traffic/payments", tags=["traffic"])
demo_router = APIRouter(prefix=f"{API_PREFIX}/_demo", include_in_schema=False)

ORDER_TTL = timedelta(minutes=15)
PAY_BASE = "https://pay.example.gov.cn/fine"
RECEIPT_TITLE = "交通违法罚款缴纳凭证"
RECEIPT_ISSUER = "深圳市公安局交通警察支队"
CONFLICT = {409: {"model": ErrorBody, "description": "already_paid, not_payable, not_paid"}}
_KEY = r"^[A-Za-z0-9_-]{16,64}$"
_ORDER = r"^PO[A-Z2-7]{16}$"


class OrderRequest(StrictRequest):
    violation_ref: str = Field(min_length=1, max_length=32)
    idempotency_key: str = Field(pattern=_KEY, description="the kiosk's, per fine and session")


class OrderRef(StrictRequest):
    order_id: str = Field(pattern=_ORDER)


class KeyRef(StrictRequest):
    idempotency_key: str = Field(pattern=_KEY)


class OrderOut(BaseModel):
    order_id: str
    amount_fen: int
    status: Literal["pending", "paid", "cancelled", "expired"]
    pay_url: str = Field(description="what the payment QR code encodes")
    expires_at: str = Field(examples=["2026-11-22T20:30:42+08:00"])
    paid_at: str | None


def _now(settings: Settings) -> datetime:
    return settings.clock().astimezone(CHINA_TZ)


def _expire(conn: sqlite3.Connection, settings: Settings) -> None:
    conn.execute("UPDATE fine_orders SET status = 'expired' WHERE status = 'pending'"
                 " AND expires_at < ?", (_now(settings).isoformat(timespec="seconds"),))


def _order(conn: sqlite3.Connection, where: str, arg: str) -> sqlite3.Row | None:
    return conn.execute(f"SELECT * FROM fine_orders WHERE {where} = ?", (arg,)).fetchone()


def _out(row: sqlite3.Row) -> OrderOut:
    return OrderOut(order_id=row["order_id"], amount_fen=row["amount_fen"], status=row["status"],
                    pay_url=f"{PAY_BASE}?order={row['order_id']}",
                    expires_at=row["expires_at"], paid_at=row["paid_at"])


@router.post("", response_model=OrderOut, responses={**ERROR_RESPONSES, **CONFLICT})
def create_order(body: OrderRequest, settings: SettingsDep) -> OrderOut:
    """Issue (or find again) the payment order for one fine."""
    with db.connection(settings.db_path) as conn:
        conn.execute("BEGIN IMMEDIATE")  # one writer decides: no two pending orders
        _expire(conn, settings)
        same = _order(conn, "idempotency_key", body.idempotency_key)
        if same is not None:
            if same["violation_ref"] != body.violation_ref:
                raise ApiError(409, "key_reused", "this idempotency key was used for another fine")
            return _out(same)
        fine = conn.execute("SELECT status, fine_fen FROM violations WHERE ref = ?",
                            (body.violation_ref,)).fetchone()
        if fine is None:
            raise not_found("no such violation")
        if fine["status"] == "paid":
            raise ApiError(409, "already_paid", "this fine has been paid")
        if fine["status"] != "unpaid":
            raise ApiError(409, "not_payable", "this violation must be processed at a counter")
        pending = conn.execute("SELECT * FROM fine_orders WHERE violation_ref = ?"
                               " AND status = 'pending'", (body.violation_ref,)).fetchone()
        if pending is not None:
            return _out(pending)
        now = _now(settings)
        order_id = "PO" + base64.b32encode(secrets.token_bytes(10)).decode()
        conn.execute(
            "INSERT INTO fine_orders (order_id, idempotency_key, violation_ref, amount_fen,"
            " status, created_at, expires_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)",
            (order_id, body.idempotency_key, body.violation_ref, fine["fine_fen"],
             now.isoformat(timespec="seconds"), (now + ORDER_TTL).isoformat(timespec="seconds")),
        )
        return _out(_order(conn, "order_id", order_id))


@router.post("/lookup", response_model=OrderOut, responses=ERROR_RESPONSES)
def lookup(body: KeyRef, settings: SettingsDep) -> OrderOut:
    """The order issued for an idempotency key, if any (a kiosk restarted mid-request)."""
    with db.connection(settings.db_path) as conn:
        _expire(conn, settings)
        row = _order(conn, "idempotency_key", body.idempotency_key)
    if row is None:
        raise not_found("no order for this key")
    return _out(row)


@router.post("/status", response_model=OrderOut, responses=ERROR_RESPONSES)
def order_status(body: OrderRef, settings: SettingsDep) -> OrderOut:
    """What the kiosk polls while the QR code is shown."""
    with db.connection(settings.db_path) as conn:
        _expire(conn, settings)
        row = _order(conn, "order_id", body.order_id)
    if row is None:
        raise not_found("no such order")
    return _out(row)


@router.post("/cancel", response_model=OrderOut, responses=ERROR_RESPONSES)
def cancel(body: OrderRef, settings: SettingsDep) -> OrderOut:
    """Cancel a pending order. A paid one stays paid: the answer says so."""
    with db.connection(settings.db_path) as conn:
        _expire(conn, settings)
        conn.execute("UPDATE fine_orders SET status = 'cancelled'"
                     " WHERE order_id = ? AND status = 'pending'", (body.order_id,))
        row = _order(conn, "order_id", body.order_id)
    if row is None:
        raise not_found("no such order")
    return _out(row)


@router.post("/receipt", response_model=CertificateOut,
             responses={**ERROR_RESPONSES, **CONFLICT})
def receipt(body: OrderRef, settings: SettingsDep) -> CertificateOut:
    """缴纳凭证 of a paid order: issued once, the same receipt when asked again."""
    with db.connection(settings.db_path) as conn:
        row = conn.execute(
            "SELECT o.*, v.plate, v.act_zh, v.occurred_at, v.points, p.name, p.id_number"
            " FROM fine_orders o JOIN violations v ON v.ref = o.violation_ref"
            " JOIN vehicles c ON c.plate = v.plate JOIN persons p ON p.id_number = c.owner"
            " WHERE o.order_id = ?", (body.order_id,),
        ).fetchone()
        if row is None:
            raise not_found("no such order")
        if row["status"] != "paid":
            raise ApiError(409, "not_paid", "only a paid order has a receipt")
        if row["receipt"]:
            return CertificateOut.model_validate_json(row["receipt"])
        cert = certificates.issue(
            conn, settings, kind="traffic.fine_receipt", prefix="JF", title=RECEIPT_TITLE,
            issuer=RECEIPT_ISSUER, holder_name=row["name"], id_number=row["id_number"],
            rows=[
                ("决定书编号", row["violation_ref"]),
                ("号牌号码", mask_plate(row["plate"])),
                ("违法时间", row["occurred_at"]),
                ("违法行为", row["act_zh"]),
                ("罚款金额", f"{row['amount_fen'] / 100:,.2f}元"),
                ("缴款时间", (row["paid_at"] or "")[:16].replace("T", " ")),
                ("支付订单", row["order_id"]),
            ],
        )
        conn.execute("UPDATE fine_orders SET receipt = ? WHERE order_id = ?",
                     (cert.model_dump_json(), body.order_id))
        return cert


@demo_router.post("/pay/{order_id}")
def demo_pay(order_id: str, settings: SettingsDep) -> dict:
    """The citizen's phone paying the order (demo only). Paying twice charges once."""
    with db.connection(settings.db_path) as conn:
        _expire(conn, settings)
        now = _now(settings).isoformat(timespec="seconds")
        charged = conn.execute(
            "UPDATE fine_orders SET status = 'paid', paid_at = ?"
            " WHERE order_id = ? AND status = 'pending'", (now, order_id),
        ).rowcount == 1
        row = _order(conn, "order_id", order_id)
        if row is None:
            raise not_found("no such order")
        if row["status"] != "paid":
            raise ApiError(409, f"order_{row['status']}", "this order can no longer be paid")
        if charged:
            conn.execute("UPDATE violations SET status = 'paid', paid_order = ? WHERE ref = ?",
                         (order_id, row["violation_ref"]))
    return {"order_id": order_id, "status": "paid", "charged": charged}
