"""The health agent on the console, in real Chromium: the real AgentLink (its own login
on the TLS mosquitto with the shipped ACL) reports a failed UI; the board turns red
with the UI's state, the terminal page shows the journal lines as text (markup in
them stays text), and an operator's "Restart UI" reaches the agent signed, is
checked by the agent's own command code and answered."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from agent.commands import Commands
from agent.link import AgentLink
from agent.settings import AgentSettings
from agent.unit import UnitState
from common import contract as c
from common.command_signing import terminal_key
from fleet.auth import add_user
from fleet.models import make_engine
from kiosk.fleet.store import TerminalStore
from tests.helpers.broker import SecureBroker
from tests.helpers.browser import launch_chromium, login
from tests.helpers.console_proc import start_console

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "var" / "screenshots" / "fleet"
TID, SITE = "AGT-0001", "agent-hall"
MARKUP = '<img src=x onerror="document.title=\'pwned\'"><b id="bold">x</b>'


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("agent-browser")
    broker = SecureBroker(tmp / "broker")
    db = f"sqlite:///{tmp / 'console.sqlite'}"
    engine = make_engine(db)
    add_user(engine, "operator", "op-pass", "operator")
    engine.dispose()
    console = start_console(tmp, db, broker)
    creds = broker.add_terminal(TID, SITE)
    link = AgentLink(AgentSettings.model_validate({
        "terminal": {"id": TID, "site": SITE},
        "broker": {"host": broker.host, "port": broker.port, "tls": True,
                   "ca_file": str(broker.ca_file)},
        "login": broker.agent_creds(creds)}), "0.3.0")
    link.start()
    pw = sync_playwright().start()
    browser = launch_chromium(pw)
    try:
        yield broker, console, link, browser, tmp
    finally:
        browser.close()
        pw.stop()
        link.stop()
        console.stop()
        broker.stop()


def test_a_failed_ui_shows_red_with_its_journal_and_restart_ui_reaches_the_agent(stack):
    broker, console, link, browser, tmp = stack
    failed = UnitState("failed", "failed", "exit-code", 5)
    lines = ["kiosk: /etc/kiosk/kiosk.toml: 1 configuration error(s):", MARKUP]
    link.publish_ui({"ts": round(time.time(), 3), "unit": "kiosk-ui.service",
                     **failed.report(), "log": lines})
    page = login(browser, console.url, "operator", "op-pass", lang="en")
    tile = page.locator(f"#tile-{TID}")
    tile.wait_for(timeout=15000)
    page.wait_for_function(f"document.getElementById('tile-{TID}')?.dataset.light === 'red'",
                           timeout=15000)
    assert "UI failed: exit-code" in tile.inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "board-ui-failed.png"), full_page=True)

    page.goto(f"{console.url}/t/{TID}")
    assert page.inner_text("#ui-state") == "UI failed: exit-code"
    assert page.inner_text("#ui-log").splitlines() == lines  # the markup is text
    assert page.locator("#ui-log img, #ui-log b, #bold").count() == 0
    assert page.title() != "pwned"
    page.locator("#agent").screenshot(path=str(SHOTS / "terminal-agent.png"))

    store = TerminalStore(tmp / "agent.sqlite")
    commands = Commands(terminal_key(broker.fleet_key, TID), TID, store, tmp,
                        ui_health=lambda: "failed", journal=lambda n: ["line"] * n)
    page.click("button[data-cmd='agent:restart_ui']")
    page.click("#confirm-ok")
    payload = link.commands.get(timeout=15)  # through the broker, on agent/cmd
    outcome = commands.handle(payload)
    assert outcome.body["ok"], outcome.body  # signed for this terminal, fresh, once
    assert (tmp / "restart-ui").exists()
    assert link.publish(c.AGENT_RESULT, outcome.body, wait_s=5)
    row = page.locator(f"tr[data-cmd-id='{json.loads(payload)['id']}']")
    row.locator(".r-done").wait_for(timeout=15000)
    assert "Restart UI" in row.inner_text()
    store.close()
    page.screenshot(path=str(SHOTS / "terminal-agent-restart.png"), full_page=True)
