"""好差评: a citizen's 1-5 rating of a service. Anonymous by contract: no identity fields."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from backend import db
from backend.errors import ERROR_RESPONSES
from backend.models import StrictRequest
from backend.settings import SettingsDep

router = APIRouter(prefix="/ratings", tags=["ratings"])

Label = Annotated[str, Field(min_length=1, max_length=64)]


class RatingIn(StrictRequest):  # extra="forbid": an id_number here is refused, not stored
    rating_ref: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="The kiosk's own id for this rating: sending it again stores it once",
    )
    terminal_id: Label
    service: Label = Field(examples=["social_security.certificate"])
    score: int = Field(ge=1, le=5, strict=True, description="1 very dissatisfied, 5 very satisfied")
    reasons: list[Annotated[str, Field(max_length=100)]] = Field(default=[], max_length=10)


class RatingCreated(BaseModel):
    id: int


@router.post(
    "",
    response_model=RatingCreated,
    status_code=status.HTTP_201_CREATED,
    responses={422: ERROR_RESPONSES[422]},
)
def submit_rating(body: RatingIn, settings: SettingsDep) -> RatingCreated:
    with db.connection(settings.db_path) as conn:
        if body.rating_ref is not None:
            seen = conn.execute(
                "SELECT id FROM ratings WHERE rating_ref = ?", (body.rating_ref,)
            ).fetchone()
            if seen:  # a retry after a lost answer: the first one stands
                return RatingCreated(id=seen["id"])
        cur = conn.execute(
            "INSERT INTO ratings (rating_ref, terminal_id, service, score, reasons, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                body.rating_ref,
                body.terminal_id,
                body.service,
                body.score,
                json.dumps(body.reasons, ensure_ascii=False),
                settings.clock().isoformat(timespec="seconds"),
            ),
        )
        return RatingCreated(id=cur.lastrowid)
