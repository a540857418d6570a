"""The demo back end as a FastAPI app. A new department is one more router under /api/v1."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel

from backend import db
from backend.body_guard import MAX_BODY, BodyGuard, signed_paths
from backend.errors import install_error_handlers
from backend.faults import install_faults
from backend.routers import (
    cases,
    certificates,
    guides,
    housing_fund,
    housing_fund_loans,
    medical_filings,
    medical_insurance,
    medical_voucher,
    queue,
    ratings,
    social_security,
    social_security_card,
    social_security_records,
    traffic,
    traffic_payments,
)
from backend.settings import (
    API_PREFIX,
    DEFAULT_VERIFY_BASE,
    DEMO_APP_KEYS,
    Settings,
    china_now,
)
from backend.signing import verify_signature


class Health(BaseModel):
    status: str


def create_app(
    db_path: Path,
    *,
    verify_base: str = DEFAULT_VERIFY_BASE,
    clock: Callable[[], datetime] = china_now,
    app_keys: dict[str, str] | None = None,
) -> FastAPI:
    """The app over the SQLite store at ``db_path`` (created and seeded if missing)."""
    db_path = Path(db_path)
    db.open_db(db_path).close()  # schema + seed now, so the first request is not the slow one
    app = FastAPI(
        max_body_size=MAX_BODY,
        title="Self-service kiosk demo back end",
        version="1",
        description=(
            "Fictitious departments for the kiosk demo and tests. Personal inputs travel "
            "in POST bodies only, never in URLs.\n\n"
            "**Signing.** Every department route needs four headers: `X-App-Key`, "
            "`X-Timestamp` (Unix seconds, within 300 s of the server's clock), `X-Nonce` "
            "(never reused) and `X-Signature` = hex HMAC-SHA256(app secret, "
            "`METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(body))`). "
            "Refusals are 401 with error `unsigned`, `unknown_app`, `stale_timestamp`, "
            "`bad_signature` or `replayed_nonce`. Open routes: `/api/v1/health`, each "
            "department's `/health`, and certificate verification."
        ),
    )
    app.state.settings = Settings(
        db_path=db_path, verify_base=verify_base, clock=clock,
        app_keys=dict(DEMO_APP_KEYS if app_keys is None else app_keys),
    )
    install_error_handlers(app)
    install_faults(app)

    api = APIRouter(prefix=API_PREFIX)

    @api.get("/health", response_model=Health, tags=["meta"])
    def health() -> Health:
        return Health(status="ok")

    # Every department route needs a signed request. Open: /health for probes, and
    # certificate verification, which anyone holding a printed certificate may use.
    signed = [Depends(verify_signature)]
    departments = (social_security, social_security_card, social_security_records,
                   housing_fund, housing_fund_loans, traffic, traffic_payments, cases, guides,
                   queue, ratings, medical_insurance, medical_filings, medical_voucher)
    for department in departments:
        api.include_router(department.router, dependencies=signed)
    # Refuses an unsigned request to these routes, and any oversized body, unread.
    app.add_middleware(BodyGuard, app_keys=app.state.settings.app_keys,
                       signed=signed_paths(API_PREFIX, (d.router for d in departments)))
    api.include_router(certificates.router)
    app.include_router(api)
    app.include_router(traffic_payments.demo_router)  # the citizen's phone, in the demo
    app.include_router(medical_voucher.demo_router)
    return app
