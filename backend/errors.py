"""One error shape for every failure: {"error": code, "message": text}.

FastAPI's default 422 body echoes the rejected input back; for an ID number that is personal
data, so validation errors are rewritten to name the field and the rule, never the value.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException


class ErrorBody(BaseModel):
    error: str  # machine-readable: "not_found", "invalid_request", ...
    message: str  # English, for logs and developers; never personal data


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


# For route decorators, so /openapi.json documents the error bodies too.
ERROR_RESPONSES: dict[int | str, dict] = {
    404: {"model": ErrorBody, "description": "Nothing known for this request"},
    422: {"model": ErrorBody, "description": "The request body breaks the contract"},
}


def _body(status: int, error: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": error, "message": message})


def _describe(err: dict) -> str:
    field = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{field}: {msg}"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _body(exc.status, exc.error, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        message = "; ".join(_describe(e) for e in exc.errors()) or "invalid request"
        return _body(422, "invalid_request", message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = "not_found" if exc.status_code == 404 else f"http_{exc.status_code}"
        return _body(exc.status_code, error, str(exc.detail))
