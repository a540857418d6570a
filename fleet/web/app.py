"""The console's pages: board, alarms, a terminal, supervision; login; live stream.

Viewers see everything; only operators acknowledge alarms and send commands,
checked here on the server (the buttons a viewer does not see are not the guard).
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from fleet import i18n, queries
from fleet.auth import end_sessions, login
from fleet.commands import AgentOffline, CommandSender, TerminalOffline, UnknownTerminal
from fleet.i18n import translate
from fleet.models import Alarm, Screenshot
from fleet.sessions import SessionStore
from fleet.throttle import DEVICE_COOKIE, LoginThrottle
from fleet.web.guard import MAX_BODY, ConsoleGuard, local_path
from fleet.web.live import stream

HERE = Path(__file__).resolve().parent
COOKIE = "fleet_session"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
QUARANTINE_SHOWN = 100  # the newest quarantined messages on /quarantine
RECHECK_S = 5.0  # an open live stream re-checks its session this often


@dataclass
class WebContext:
    engine: Engine
    sessions: SessionStore
    throttle: LoginThrottle
    sender: CommandSender | None
    offline_after: float
    counters: Any = None  # () -> dict, for /api/ingest
    command_timeout: float = 60  # seconds until an unanswered command shows "no answer"


def create_app(ctx: WebContext) -> FastAPI:
    app = FastAPI(title="kiosk fleet console", docs_url=None, redoc_url=None,
                  max_body_size=MAX_BODY)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")

    def user_of(request: Request) -> tuple[str, str] | None:
        return ctx.sessions.read(request.cookies.get(COOKIE))

    def lang_of(request: Request) -> str:
        return "en" if request.cookies.get("lang") == "en" else "zh"

    def set_cookie(request: Request, resp: Response, name: str, value: str, **kw: Any) -> None:
        resp.set_cookie(name, value, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", **kw)

    def need_user(request: Request) -> tuple[str, str]:
        user = user_of(request)
        if user is None:
            raise HTTPException(status_code=303, headers={"Location": "/login"})
        return user

    def need_operator(request: Request) -> tuple[str, str]:
        user = need_user(request)
        if user[1] != "operator":
            raise HTTPException(status_code=403, detail="operators only")
        return user

    def render(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        lang = lang_of(request)
        user = user_of(request)
        partial = request.headers.get("x-partial") == "1"
        return templates.TemplateResponse(request, name, status_code=status, context={
            "t": lambda key, **kw: translate(key, lang, **kw), "lang": lang, "user": user,
            "alarm_name": lambda key: i18n.alarm_name(key, lang),
            "detail_of": lambda item: i18n.detail_in(item, lang),
            "label": lambda prefix, value: i18n.label(prefix, str(value), lang),
            "partial": partial,
            "quarantine_n": queries.quarantine_count(ctx.engine) if user and not partial
            else 0,
            "pct": percent, "num": number,
            "offline_after": ctx.offline_after, "now": time.time(),
            "fmt_time": lambda ts: time.strftime("%m-%d %H:%M:%S", time.localtime(ts))
            if ts else "—",
            **values,
        })

    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, error: str = "") -> HTMLResponse:
        return render(request, "login.html", error=error)

    @app.post("/login")
    def login_post(request: Request, name: str = Form(..., max_length=64),
                   password: str = Form(..., max_length=1024)) -> Response:
        addr = request.client.host if request.client else "?"
        device = request.cookies.get(DEVICE_COOKIE)
        if ctx.throttle.locked_for(name, addr, device) > 0:
            return render(request, "login.html", status=429, error="locked")
        role = login(ctx.engine, name, password)
        if role is None:
            ctx.throttle.failed(name, addr, device)
            return RedirectResponse("/login?error=1", status_code=303)
        resp = RedirectResponse("/", status_code=303)
        set_cookie(request, resp, COOKIE, ctx.sessions.issue(name))
        set_cookie(request, resp, DEVICE_COOKIE, ctx.throttle.succeeded(name, addr, device),
                   max_age=365 * 86400)
        return resp

    @app.get("/logout")
    def logout(request: Request) -> Response:
        """Ends every session of this user, on every browser (a lost laptop included)."""
        user = user_of(request)
        if user is not None:
            end_sessions(ctx.engine, user[0])
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(COOKIE)
        return resp

    @app.get("/lang/{lang}")
    def set_lang(request: Request, lang: str) -> Response:
        resp = RedirectResponse(local_path(request.headers.get("referer"), "/"),
                                status_code=303)
        resp.set_cookie("lang", "en" if lang == "en" else "zh", samesite="strict",
                        secure=request.url.scheme == "https")
        return resp

    @app.get("/", response_class=HTMLResponse)
    def board_page(request: Request) -> HTMLResponse:
        need_user(request)
        return render(request, "board.html", page="board")

    @app.get("/api/board")
    def board_json(request: Request) -> JSONResponse:
        need_user(request)
        return JSONResponse({"now": time.time(), "offline_after": ctx.offline_after,
                             "terminals": queries.board(ctx.engine, ctx.offline_after)})

    @app.get("/api/stream")
    def live(request: Request) -> StreamingResponse:
        need_user(request)
        token = request.cookies.get(COOKIE)
        checked = [time.monotonic()]

        async def gone() -> bool:
            """The browser left, or its session ended (logout, new password, new role)."""
            if await request.is_disconnected():
                return True
            if time.monotonic() - checked[0] < RECHECK_S:
                return False
            checked[0] = time.monotonic()
            return await asyncio.to_thread(ctx.sessions.read, token, False) is None

        return StreamingResponse(stream(ctx.engine, ctx.offline_after, gone),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache"})

    @app.get("/alarms", response_class=HTMLResponse)
    def alarms_page(request: Request, all: int = 0) -> HTMLResponse:
        need_user(request)
        return render(request, "alarms.html", page="alarms", show_all=bool(all),
                      alarms=queries.alarms(ctx.engine, active_only=not all))

    @app.post("/alarms/{alarm_id}/ack")
    def ack(request: Request, alarm_id: int) -> Response:
        name, _role = need_operator(request)
        with ctx.engine.begin() as conn:
            conn.execute(update(Alarm).where(Alarm.id == alarm_id, Alarm.acked_by.is_(None))
                         .values(acked_by=name, acked_at=time.time(), updated=time.time()))
        return RedirectResponse(local_path(request.headers.get("referer"), "/alarms"),
                                status_code=303)

    @app.get("/t/{tid}", response_class=HTMLResponse)
    def terminal_page(request: Request, tid: str) -> HTMLResponse:
        need_user(request)
        detail = queries.terminal_detail(ctx.engine, tid, ctx.offline_after,
                                         ctx.command_timeout)
        if detail is None:
            raise HTTPException(status_code=404, detail="no such terminal")
        return render(request, "terminal.html", page="terminal", term=detail,
                      command_timeout=ctx.command_timeout)

    @app.post("/t/{tid}/cmd")
    def command(request: Request, tid: str, cmd: str = Form(...), force: str = Form("")) -> Any:
        name, _role = need_operator(request)
        if ctx.sender is None:
            raise HTTPException(status_code=503, detail="no fleet key: commands disabled")
        args: dict[str, Any] = {"force": True} if force else {}
        try:
            if cmd.startswith("agent:"):  # the health agent's (agent/cmd): the UI may be dead
                agent_cmd = cmd.removeprefix("agent:")
                if agent_cmd == "collect_logs":
                    args = {"lines": 50}
                body = ctx.sender.send_agent(tid, agent_cmd, args, by=name)
            else:
                body = ctx.sender.send(tid, cmd, args, by=name)
        except AgentOffline:
            return JSONResponse({"error": "agent_offline", "detail": translate(
                "refused_agent_offline", lang_of(request), t=tid)},
                status_code=409)
        except UnknownTerminal:
            raise HTTPException(status_code=404, detail="no such terminal") from None
        except TerminalOffline as exc:  # it could never arrive in time: say so, send nothing
            lang = lang_of(request)
            since = time.strftime("%m-%d %H:%M", time.localtime(exc.last_seen)) \
                if exc.last_seen else "—"
            return JSONResponse({"error": "offline", "detail": translate(
                "refused_offline", lang, t=tid, since=since)}, status_code=409)
        except ValueError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from None
        return JSONResponse({"id": body["id"], "cmd": cmd})

    @app.get("/t/{tid}/screenshot.png")
    def screenshot(request: Request, tid: str) -> Response:
        need_user(request)
        with ctx.engine.connect() as conn:
            png = conn.execute(select(Screenshot.png).where(Screenshot.terminal == tid)).scalar()
        if png is None or not png.startswith(PNG_SIGNATURE):  # only ever served as a PNG
            raise HTTPException(status_code=404)
        return Response(png, media_type="image/png",
                        headers={"Cache-Control": "no-store",
                                 "Content-Disposition": "inline; filename=screenshot.png"})

    @app.get("/supervision", response_class=HTMLResponse)
    def supervision_page(request: Request, days: int = 7) -> HTMLResponse:
        need_user(request)
        days = max(1, min(days, 90))
        return render(request, "supervision.html", page="supervision",
                      data=queries.supervision(ctx.engine, days))

    @app.get("/quarantine", response_class=HTMLResponse)
    def quarantine_page(request: Request) -> HTMLResponse:
        """What terminals sent that was not stored (fleet/validate.py): for staff to see
        which terminal breaks the contract, and how. Every field is a terminal's text."""
        need_user(request)
        return render(request, "quarantine.html", page="quarantine",
                      rows=queries.quarantined(ctx.engine, QUARANTINE_SHOWN),
                      preview_bytes=queries.PREVIEW_BYTES)

    @app.get("/api/ingest")
    def ingest_counters(request: Request) -> JSONResponse:
        need_user(request)
        return JSONResponse(ctx.counters() if ctx.counters else {})

    @app.get("/healthz")
    def health() -> JSONResponse:
        """For a probe: up, and subscribed to the broker; nothing more without a login."""
        counters = ctx.counters() if ctx.counters else {}
        return JSONResponse({"ok": True, "subscribed": bool(counters.get("subscribed"))})

    app.add_middleware(ConsoleGuard)
    return app


def number(value: Any) -> float | None:
    """A figure from a terminal's report, or None if it is not one: a page never fails,
    nor carries text into a style attribute, because a terminal sent "x"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def percent(value: Any) -> float | None:
    value = number(value)
    return None if value is None else max(0.0, min(100.0, value))
