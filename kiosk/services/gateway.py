"""The one HTTP JSON client every department service goes through.

Every failure becomes a ``ServiceError`` whose ``kind`` tells the caller what to do:

- ``unavailable``: the request never reached the back end (refused, DNS, connect timeout);
  always safe to retry, and what a circuit breaker should count.
- ``timeout``: sent, but no answer in time; the back end may have acted on it.
- ``bad_response``: an answer that breaks the contract (5xx, not JSON, wrong shape, cut off).
- ``not_found``: HTTP 404, e.g. the back end knows nothing about this citizen.
- ``rejected``: any other 4xx; the request itself is wrong (a bug, or an outdated kiosk).

Messages are English, name the call and the status, and never carry bodies: request bodies
hold ID numbers, response bodies hold names.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

log = logging.getLogger(__name__)

ErrorKind = Literal["unavailable", "timeout", "bad_response", "not_found", "rejected"]
M = TypeVar("M")

_ERROR_CODE = re.compile(r"[a-z][a-z0-9_.]{0,39}")  # a machine code is safe to log, prose is not


class ServiceError(Exception):
    def __init__(self, kind: ErrorKind, message: str, *, status: int | None = None) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind: ErrorKind = kind
        self.message = message
        self.status = status  # the HTTP status, when there was an answer


class BackendClient:
    """JSON over one keep-alive ``httpx.Client``; thread-safe, so one per kiosk is enough.

    ``auth`` signs each request (``SigningAuth``). Retries: a request that never reached
    the back end is retried, whatever its method; a GET is also retried after a timeout
    or a 5xx; a POST that may have been acted on never is.
    """

    def __init__(
        self,
        base_url: str,
        timeout: float = 5.0,
        *,
        auth: httpx.Auth | None = None,
        retries: int = 2,
        backoff_s: float = 0.2,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must start with http:// or https://")
        self.base_url = base_url
        # trust_env=False: proxies and certificates come from the kiosk config, not from
        # whatever environment the process happened to inherit.
        self._http = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            headers={"Accept": "application/json"},
            follow_redirects=False,
            trust_env=False,
            auth=auth,
        )
        self._retries = retries
        self._backoff_s = backoff_s

    def post_json(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST ``body`` as JSON; the decoded JSON object answered. Never retried here."""
        return self._call("POST", path, body)

    def get_json(self, path: str) -> dict[str, Any]:
        """GET ``path``; the decoded JSON object answered."""
        return self._call("GET", path, None)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BackendClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # The pipeline. Signing (headers), retries of safe calls and the circuit breaker wrap
    # ``_send`` later; ``_decode`` stays the single place that judges an answer.
    def _call(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        attempt = 0
        while True:
            try:
                return self._decode(method, path, self._send(method, path, body))
            except ServiceError as exc:
                if attempt >= self._retries or not _may_retry(method, exc):
                    log.debug("backend call failed: %s", exc)
                    raise
            attempt += 1
            time.sleep(self._backoff_s * 3 ** (attempt - 1))  # 0.2 s, 0.6 s

    def _send(self, method: str, path: str, body: dict[str, Any] | None) -> httpx.Response:
        call = f"{method} {path}"
        try:
            return self._http.request(method, path, json=body)
        except (httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise ServiceError("unavailable", f"{call}: no connection in time") from exc
        except httpx.TimeoutException as exc:
            raise ServiceError("timeout", f"{call}: no answer in time") from exc
        except (httpx.ConnectError, httpx.UnsupportedProtocol, httpx.ProxyError) as exc:
            raise ServiceError("unavailable", f"{call}: cannot connect") from exc
        except httpx.HTTPError as exc:  # read/write errors, protocol errors: cut off mid-way
            raise ServiceError("bad_response", f"{call}: {type(exc).__name__}") from exc

    def _decode(self, method: str, path: str, response: httpx.Response) -> dict[str, Any]:
        status = response.status_code
        where = f"{method} {path}: HTTP {status}"
        if not response.is_success:
            where += _error_code(response)
            if status == 404:
                raise ServiceError("not_found", where, status=status)
            if 400 <= status < 500:
                raise ServiceError("rejected", where, status=status)
            raise ServiceError("bad_response", where, status=status)
        try:
            data = response.json()
        except ValueError:  # JSONDecodeError and UnicodeDecodeError; their text quotes the body
            raise ServiceError("bad_response", f"{where}, not JSON", status=status) from None
        if not isinstance(data, dict):
            raise ServiceError("bad_response", f"{where}, not a JSON object", status=status)
        return data


def _may_retry(method: str, exc: ServiceError) -> bool:
    if exc.kind == "unavailable":
        return True  # never reached the back end: nothing can have happened twice
    server_side = exc.kind == "timeout" or (exc.status or 0) >= 500
    return method == "GET" and server_side


def _error_code(response: httpx.Response) -> str:
    """ " (not_found)" from a back-end error body, if it has a well-formed code."""
    try:
        code = response.json().get("error")
    except (ValueError, AttributeError):
        return ""
    return f" ({code})" if isinstance(code, str) and _ERROR_CODE.fullmatch(code) else ""


def parse(model: type[M], data: dict[str, Any], what: str) -> M:
    """Validate an answer against ``model``; a mismatch is a ``bad_response``.

    Only the locations of the problems are reported: pydantic's own message quotes the
    offending values, which may be personal.
    """
    try:
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model.model_validate(data)
        return _adapter(model).validate_python(data)  # a dataclass: the same rules
    except ValidationError as exc:
        locs = [".".join(str(p) for p in e["loc"]) or "(root)" for e in exc.errors()]
        shown = ", ".join(locs[:5]) + (" ..." if len(locs) > 5 else "")
        raise ServiceError("bad_response", f"{what}: unexpected shape at {shown}") from None


@functools.cache
def _adapter(model: type) -> TypeAdapter:
    """Validates a dict into a (frozen) dataclass, nested values and tuples included;
    extra fields are ignored, as on the lenient wire models."""
    return TypeAdapter(model)
