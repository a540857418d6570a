"""The demo back end as a FastAPI app. A new department is one more router under /api/v1."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from backend import db
from backend.errors import install_error_handlers
from backend.routers import certificates, ratings, social_security
from backend.settings import DEFAULT_VERIFY_BASE, Settings, china_now

API_PREFIX = "/api/v1"


class Health(BaseModel):
    status: str


def create_app(
    db_path: Path,
    *,
    verify_base: str = DEFAULT_VERIFY_BASE,
    clock: Callable[[], datetime] = china_now,
) -> FastAPI:
    """The app over the SQLite store at ``db_path`` (created and seeded if missing)."""
    db_path = Path(db_path)
    db.open_db(db_path).close()  # schema + seed now, so the first request is not the slow one
    app = FastAPI(
        title="Self-service kiosk demo back end",
        version="1",
        description="Fictitious departments for the kiosk demo and tests. "
        "Personal inputs travel in POST bodies only, never in URLs.",
    )
    app.state.settings = Settings(db_path=db_path, verify_base=verify_base, clock=clock)
    install_error_handlers(app)

    api = APIRouter(prefix=API_PREFIX)

    @api.get("/health", response_model=Health, tags=["meta"])
    def health() -> Health:
        return Health(status="ok")

    for department in (social_security, certificates, ratings):
        api.include_router(department.router)
    app.include_router(api)
    return app
