"""Demo-only fault injection: make one department down, slow, or answer garbage.

Tests and demonstrations use it to show what the kiosk does when a department
misbehaves. ``POST /api/v1/_demo/faults {"department": "social-security",
"mode": "down" | "slow" | "late" | "garbage" | "none", "seconds": 3}``: ``slow``
waits before the request is handled, ``late`` handles it and waits before answering
(the back end acted; the caller may have given up). Not part of the
contract (hidden from /openapi.json); a real platform has no such thing.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field

from backend.settings import API_PREFIX


class Fault(BaseModel):
    department: str = Field(pattern=r"^[a-z-]+$")
    mode: Literal["down", "slow", "late", "garbage", "none"]
    seconds: float = Field(3.0, ge=0, le=60)


def install_faults(app: FastAPI) -> None:
    app.state.faults = {}
    router = APIRouter(prefix=f"{API_PREFIX}/_demo", include_in_schema=False)

    @router.post("/faults")
    def set_fault(fault: Fault) -> dict:
        if fault.mode == "none":
            app.state.faults.pop(fault.department, None)
        else:
            app.state.faults[fault.department] = fault
        return {"faults": {k: v.mode for k, v in app.state.faults.items()}}

    app.include_router(router)

    @app.middleware("http")
    async def inject(request: Request, call_next):
        parts = request.url.path.removeprefix(API_PREFIX + "/").split("/")
        fault = app.state.faults.get(parts[0])
        if fault is None:
            return await call_next(request)
        if fault.mode == "down":
            return JSONResponse({"error": "unavailable", "message": "down"}, status_code=503)
        if fault.mode == "garbage":
            return PlainTextResponse("<html>502 Bad Gateway</html>", status_code=200)
        if fault.mode == "late":
            response = await call_next(request)
            await asyncio.sleep(fault.seconds)
            return response
        await asyncio.sleep(fault.seconds)  # slow
        return await call_next(request)
