"""The quarantine page, in real Chromium against a real console: what a hostile
terminal sent and the console refused to store (fleet/validate.py) is shown to staff
as the text it is. Its topic, the reason (which quotes the payload) and the payload's
first bytes carry markup and script; none of it may run, and the board's count is the
number of messages kept."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import sync_playwright
from sqlalchemy import insert, select

from fleet.auth import add_user
from fleet.models import Command, Quarantined, make_engine
from fleet.queries import PREVIEW_BYTES, printable
from tests.helpers.broker import SecureBroker
from tests.helpers.browser import launch_chromium, login
from tests.helpers.console_proc import start_console

STRIKE = ("fetch('/t/T-1/cmd',{method:'POST',"
          "body:new URLSearchParams('cmd=out_of_service')})")
TOPIC_XSS = 'kiosk/S-1/T<img src=x onerror="window.__pwned=1">/health'
REASON_XSS = f'state: <script>window.__pwned=2</script><img src=x onerror="{STRIKE}">'
PAYLOAD_XSS = (b'{"light":"<img src=x onerror=\\"window.__pwned=3\\">",'
               b'"x":"\x00\x1b[2J\xe2\x80\xae\\\\"}\xff\xfe</pre><svg onload=window.__pwned=4>')
TERMINAL_XSS = "T<b>bold</b>"


@pytest.fixture(scope="module")
def console_with_quarantine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("quarantine")
    broker = SecureBroker(tmp)
    db = f"sqlite:///{tmp / 'console.sqlite'}"
    engine = make_engine(db)
    add_user(engine, "op", "op-pass", "operator")
    add_user(engine, "view", "view-pass", "viewer")
    now = time.time()
    rows = [dict(terminal="", topic="kiosk/x", reason="not JSON", size=5,  # the oldest
                 payload=b"\x00\x01", received_at=now - 10)]
    rows += [dict(terminal=TERMINAL_XSS, topic=TOPIC_XSS, reason=REASON_XSS,
                  size=len(PAYLOAD_XSS), payload=PAYLOAD_XSS, received_at=now - i)
             for i in range(3)]
    with engine.begin() as conn:
        conn.execute(insert(Quarantined), rows)
    console = start_console(tmp, db, broker)
    pw = sync_playwright().start()
    browser = launch_chromium(pw)
    try:
        yield console, engine, browser, len(rows)
    finally:
        browser.close()
        pw.stop()
        console.stop()
        broker.stop()
        engine.dispose()


def _no_strike(page, engine, posts) -> None:
    page.wait_for_timeout(1500)  # onerror handlers fire once the broken images fail
    assert page.evaluate("window.__pwned") is None
    assert posts == []
    with engine.connect() as conn:
        assert conn.execute(select(Command.id)).first() is None


def test_the_board_counts_the_quarantine_and_links_to_it(console_with_quarantine):
    console, _engine, browser, kept = console_with_quarantine
    page = login(browser, console.url, "view", "view-pass", lang="en")
    assert page.inner_text("#board-quarantine") == f"{kept} quarantined messages"
    assert page.inner_text("#quarantine-n") == str(kept)
    page.screenshot(path=_shot("board-quarantine"))
    page.click("#board-quarantine")
    page.wait_for_url(f"{console.url}/quarantine")
    assert page.locator("#quarantine-table tbody tr").count() == kept
    page.context.close()


def test_quarantined_messages_are_shown_as_text_and_nothing_runs(console_with_quarantine):
    console, engine, browser, kept = console_with_quarantine
    page = login(browser, console.url, "op", "op-pass")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(f"{console.url}/quarantine")
    _no_strike(page, engine, posts)
    table = page.locator("#quarantine-table")
    assert table.locator("img, script, svg, b").count() == 0  # never markup
    first = table.locator("tbody tr").first
    assert first.locator(".q-topic").inner_text() == TOPIC_XSS
    assert first.locator(".q-reason").inner_text() == REASON_XSS
    assert first.locator("td").nth(1).inner_text() == TERMINAL_XSS
    assert first.locator("td.num").inner_text() == str(len(PAYLOAD_XSS))
    preview = first.locator("pre.q-preview").inner_text()
    assert preview == printable(PAYLOAD_XSS[:PREVIEW_BYTES])
    # the invisible and the non-UTF-8 bytes, escaped: nothing hides in the preview
    for shown in ("\\x00", "\\x1b[2J", "\\u202e", "\\\\", "\\xff\\xfe", "<svg onload"):
        assert shown in preview, shown
    assert "\x00" not in preview and "\u202e" not in preview
    assert table.locator("tbody tr").last.locator("td").nth(1).inner_text() == "—"
    assert page.inner_text("#q-shown") == f"显示最新 {kept} 条，共 {kept} 条"
    page.screenshot(path=_shot("quarantine"), full_page=True)
    page.context.close()


def test_the_quarantine_needs_a_login(console_with_quarantine):
    console, _engine, _browser, _kept = console_with_quarantine
    with console.client() as anonymous:
        r = anonymous.get("/quarantine", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
        assert "onerror" not in r.text and "quarantine-table" not in r.text
    with console.client() as forged:  # a made-up session token is no login
        forged.cookies.set("fleet_session", "x" * 43)
        r = forged.get("/quarantine", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
    viewer = console.login("view", "view-pass")  # viewers may read it
    r = viewer.get("/quarantine")
    viewer.close()
    assert r.status_code == 200 and "quarantine-table" in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]


def _shot(name: str) -> str:
    from tests.helpers.console_proc import REPO

    folder = REPO / "var" / "screenshots" / "security"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / f"{name}.png")
