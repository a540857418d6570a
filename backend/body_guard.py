"""Refuse before reading: an unsigned request to a signed route.

FastAPI reads and parses a route's body before its dependencies run, so the
signature dependency alone came too late: a 300 MiB unsigned POST was read whole
first. This middleware sits in front of the app: for a route that needs a signature
it checks the headers (present, known app key, fresh timestamp) and answers 401
without touching the body. Every body is also capped (FastAPI's ``max_body_size``,
``MAX_BODY``): a declared Content-Length over it is refused unread, a streamed
(chunked) one is cut off once it passes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from fastapi import APIRouter
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from backend.errors import ApiError
from backend.signing import check_headers

MAX_BODY = 64 * 1024  # the kiosk's largest request is a few KiB of JSON


def signed_paths(prefix: str, routers: Iterable[APIRouter]) -> list[re.Pattern[str]]:
    """The path patterns of every route of ``routers`` once included under ``prefix``."""
    return [compile_path(prefix + route.path)[0]  # route.path carries the router prefix
            for router in routers for route in router.routes]


class BodyGuard:
    """``app.add_middleware(BodyGuard, signed=..., app_keys=...)``."""

    def __init__(self, app: ASGIApp, signed: list[re.Pattern[str]],
                 app_keys: dict[str, str]) -> None:
        self.app = app
        self.signed = signed
        self.app_keys = app_keys

    def _needs_signature(self, scope: Scope) -> bool:
        return any(p.match(scope["path"]) for p in self.signed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._needs_signature(scope):
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            try:
                check_headers(self.app_keys, headers)
            except ApiError as exc:
                await _refuse(send, exc)
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send, exc: ApiError) -> None:
    data = json.dumps({"error": exc.error, "message": exc.message}).encode()
    await send({"type": "http.response.start", "status": exc.status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode()),
                            (b"connection", b"close")]})  # the unread body is not waited for
    await send({"type": "http.response.body", "body": data})
