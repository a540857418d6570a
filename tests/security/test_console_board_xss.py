"""Stored XSS on the board, in real Chromium against a real console: what a terminal
reports (its id, site, light, version, an alarm's text, system figures) is written
straight into the console's store, as if ingest had let it through, and an operator
opens the board, the terminal's page and the alarms. No script may run and no command
may leave: that payload, in an earlier console, took every terminal out of service."""

from __future__ import annotations

import json
import time
from urllib.parse import quote

import pytest
from playwright.sync_api import sync_playwright
from sqlalchemy import insert, select

from fleet.models import Alarm, Command, Terminal, make_engine
from tests.helpers.broker import SecureBroker
from tests.helpers.browser import launch_chromium, login
from tests.helpers.console_proc import start_console

VICTIM = "VICTIM-1"
STRIKE = ("fetch('/t/VICTIM-1/cmd',{method:'POST',"
          "body:new URLSearchParams('cmd=out_of_service')})")
ID_XSS = "T<img src=x onerror=window.__pwned=1>"
SITE_XSS = f'S<img src=x onerror="window.__pwned=2;{STRIKE}">'
LIGHT_XSS = '"><img src=x onerror="window.__pwned=3">'
TEXT_XSS = f'<script>window.__pwned=4</script><img src=x onerror="window.__pwned=5;{STRIKE}">'
PAGES = ("/", "/alarms", "/alarms?all=1", "/supervision", "/quarantine", f"/t/{VICTIM}",
         "/login")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("board-xss")
    broker = SecureBroker(tmp)  # with the fleet key: this console can send commands
    db = f"sqlite:///{tmp / 'console.sqlite'}"
    engine = make_engine(db)
    from fleet.auth import add_user

    add_user(engine, "op", "op-pass", "operator")
    now = time.time()
    health = {"version": TEXT_XSS, "config": TEXT_XSS, "screen": TEXT_XSS,
              "sys": {"cpu": "x", "mem": TEXT_XSS, "disk": 1e308, "temp": "hot",
                      "uptime": "long"},
              "devices": {"printer": {"state": TEXT_XSS, "action": TEXT_XSS,
                                      "detail": TEXT_XSS, "detail_zh": TEXT_XSS}}}
    rows = [dict(id=VICTIM, site="S-1", light="green"),
            dict(id=ID_XSS, site=SITE_XSS, light=LIGHT_XSS, version=TEXT_XSS,
                 health=json.dumps(health), state_reason=TEXT_XSS),
            dict(id="T-2", site=SITE_XSS, light="red", paper=TEXT_XSS)]
    with engine.begin() as conn:
        for row in rows:
            conn.execute(insert(Terminal).values(online=True, last_seen=now, updated=now,
                                                 health_ts=now, **row))
        conn.execute(insert(Alarm).values(
            terminal=ID_XSS, site=SITE_XSS, key=TEXT_XSS, severity=LIGHT_XSS,
            detail=TEXT_XSS, detail_zh=TEXT_XSS, action=TEXT_XSS, raised_at=now, updated=now))
    console = start_console(tmp, db, broker)
    pw = sync_playwright().start()
    browser = launch_chromium(pw)
    try:
        yield console, engine, browser
    finally:
        browser.close()
        pw.stop()
        console.stop()
        broker.stop()
        engine.dispose()


def _watch(page) -> list[str]:
    """Every POST the page sends, and a record of whether any script of ours ran."""
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    return posts


def _no_strike(page, engine, posts) -> None:
    page.wait_for_timeout(1500)  # onerror handlers fire once the broken images fail
    assert page.evaluate("window.__pwned") is None
    assert posts == []
    with engine.connect() as conn:
        assert conn.execute(select(Command.id)).first() is None


def test_console_board_shows_hostile_reports_as_text(hostile):
    console, engine, browser = hostile
    page = login(browser, console.url, "op", "op-pass")
    posts = _watch(page)
    page.wait_for_selector(".tile >> nth=2")
    _no_strike(page, engine, posts)
    text = page.inner_text("#board")
    assert ID_XSS in text and SITE_XSS in text  # shown, as the characters they are
    assert page.locator("#board img").count() == 0  # and never as markup
    assert page.get_attribute(f'[id="tile-{ID_XSS}"]', "data-light") == "grey"  # unknown light
    page.screenshot(path=_shot("board-hostile"), full_page=True)
    page.goto(f"{console.url}/t/{quote(ID_XSS, safe='')}")
    posts.clear()
    _no_strike(page, engine, posts)
    assert TEXT_XSS in page.inner_text("main") and page.locator("main img").count() == 0
    page.goto(f"{console.url}/alarms")
    _no_strike(page, engine, posts)
    assert TEXT_XSS in page.inner_text("#alarm-table")
    page.context.close()


def test_console_csp_stops_markup_that_got_into_a_page_anyway(hostile):
    """The second wall: were an escape ever missed, injected markup still could not run."""
    console, engine, browser = hostile
    page = login(browser, console.url, "op", "op-pass")
    posts = _watch(page)
    page.wait_for_selector(".tile >> nth=2")
    page.evaluate("""() => {
        window.__blocked = [];
        document.addEventListener("securitypolicyviolation",
                                  (e) => window.__blocked.push(e.violatedDirective));
        document.body.insertAdjacentHTML("beforeend",
            `<img src=x onerror="window.__pwned=6">` +
            `<a id=jsurl href="javascript:window.__pwned=7">x</a>`);
        const s = document.createElement("script");
        s.textContent = "window.__pwned = 8";
        document.body.appendChild(s);
    }""")
    page.click("#jsurl")
    _no_strike(page, engine, posts)
    blocked = page.evaluate("window.__blocked")
    assert any(d.startswith("script-src") for d in blocked), blocked
    page.context.close()


def test_console_pages_have_nothing_inline_to_allow(hostile):
    """No <script> without src and no on* handler attribute on any page, hostile data
    in the store or not: the CSP can forbid inline script without breaking a page."""
    console, engine, browser = hostile
    with browser.new_context(viewport={"width": 1440, "height": 900}) as anonymous:
        first = anonymous.new_page()
        first.goto(f"{console.url}/login")
        assert first.locator("script:not([src])").count() == 0
        first.screenshot(path=_shot("login"))
    page = login(browser, console.url, "op", "op-pass")
    posts = _watch(page)
    for path in (*PAGES, f"/t/{quote(ID_XSS, safe='')}"):
        page.goto(console.url + path)
        page.wait_for_timeout(300)  # the board's tiles are drawn by script after load
        inline = page.evaluate("""() => ({
            scripts: document.querySelectorAll("script:not([src])").length,
            handlers: [...document.querySelectorAll("*")].flatMap((e) =>
                [...e.attributes].filter((a) => a.name.startsWith("on")).map((a) => a.name)),
        })""")
        assert inline == {"scripts": 0, "handlers": []}, (path, inline)
    _no_strike(page, engine, [p for p in posts if not p.endswith("/logout")])
    page.context.close()


def test_console_sends_its_security_headers_on_every_page(hostile):
    console, _engine, _browser = hostile
    op = console.login("op", "op-pass")
    for path in (*PAGES, "/static/console.js", "/api/board", "/t/nobody"):
        r = op.get(path)
        csp = r.headers.get("content-security-policy", "")
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
        assert directives.get("script-src") == "'self'", (path, csp)
        assert directives.get("default-src") == "'none'", (path, csp)  # objects, frames...
        assert directives.get("frame-ancestors") == "'none'", (path, csp)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["referrer-policy"] == "same-origin", path


def test_an_empty_quarantine_is_quiet(hostile):
    """Nothing quarantined here: no count on the board, the page says there is none."""
    console, _engine, _browser = hostile
    op = console.login("op", "op-pass")
    board = op.get("/").text
    assert 'id="board-quarantine"' not in board and 'id="quarantine-n"' not in board
    assert 'href="/quarantine"' in board  # the nav still leads there
    assert "没有被隔离的消息" in op.get("/quarantine").text


def _shot(name: str) -> str:
    from tests.helpers.console_proc import REPO

    folder = REPO / "var" / "screenshots" / "security"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / f"{name}.png")
