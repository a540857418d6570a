"""好差评: send a citizen's 1-5 rating of a service. Ratings are anonymous by design."""

from __future__ import annotations

from pydantic import BaseModel

from kiosk.services.gateway import BackendClient, parse

RATINGS_PATH = "/api/v1/ratings"


class _Created(BaseModel):
    id: int


class RatingService:
    def __init__(self, client: BackendClient) -> None:
        self._client = client

    def submit(
        self,
        terminal_id: str,
        service: str,
        score: int,
        reasons: list[str],
        rating_ref: str | None = None,
    ) -> None:
        """Store one rating. ValueError for a bad score (a kiosk bug); ServiceError otherwise.

        With ``rating_ref`` the back end stores a resent rating once, so an outbox may
        resend after a lost answer.
        """
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            raise ValueError("score must be an integer from 1 to 5")
        data = self._client.post_json(
            RATINGS_PATH,
            {"terminal_id": terminal_id, "service": service, "score": score,
             "reasons": list(reasons), **({"rating_ref": rating_ref} if rating_ref else {})},
        )
        parse(_Created, data, "rating")
