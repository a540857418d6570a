"""What every console response and request passes through: security headers, the
cross-origin refusal for POSTs, and local-only redirects. (Request bodies are capped
by FastAPI's ``max_body_size``: ``MAX_BODY``.)

The Content-Security-Policy allows scripts only from /static (no inline script, no
inline event handlers, no eval), so markup that ever got into a page from what a
terminal reported could not run even if an escape were missed somewhere.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

MAX_BODY = 64 * 1024  # the console's forms are a few hundred bytes
CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self'; "
       "style-src 'self'; style-src-attr 'unsafe-inline'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(scope: Scope) -> bool:
    """A state-changing request must say it comes from a page of this console: its
    Origin (or, without one, its Referer) is this console's own. Browsers always
    send Origin on a cross-site POST, so a forged form or fetch elsewhere is refused."""
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    host = headers.get("host", "")
    mine = f"{scope.get('scheme', 'http')}://{host}".lower()
    origin = headers.get("origin")
    if origin is not None:
        return origin.lower() == mine
    referer = headers.get("referer")
    return referer is not None and _origin_of(referer) == mine


class ConsoleGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tls = scope.get("scheme") == "https"

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                extra = list(HEADERS)
                if tls:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        if scope["method"] in UNSAFE and not same_origin(scope):
            data = b'{"detail": "cross-origin request refused"}'
            await with_headers({"type": "http.response.start", "status": 403, "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode())]})
            await with_headers({"type": "http.response.body", "body": data})
            return
        await self.app(scope, receive, with_headers)


def local_path(referer: str | None, fallback: str) -> str:
    """Where to send the browser back to: the path (and query) of the page it came
    from, never another site: the Referer's host is dropped, and a path that a browser
    would read as another host (``//evil``, ``/\\evil``) falls back."""
    if not referer:
        return fallback
    parts = urlsplit(referer)
    path = parts.path
    if not path.startswith("/") or path.startswith("//") or "\\" in path \
            or any(ord(ch) < 0x20 for ch in path + parts.query):
        return fallback
    return path + (f"?{parts.query}" if parts.query else "")
