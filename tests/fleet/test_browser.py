"""The console in real Chromium, against the real kiosk app, TLS mosquitto and the
console as a child process. Screenshots of every page go to var/screenshots/fleet/."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from common.command_signing import terminal_key
from fleet.auth import add_user
from fleet.models import make_engine
from kiosk.config import load_config
from tests.helpers.broker import SecureBroker
from tests.helpers.browser import launch_chromium, login
from tests.helpers.console_proc import start_console
from tests.helpers.mqtt import broker_config

pytestmark = pytest.mark.robot

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "var" / "screenshots" / "fleet"
TID = "SZFT-0001"
KIOSK_SITE = "futian-hall"  # config/kiosk.toml, as provisioned
COMMAND_TIMEOUT_S = 10  # short, so a test sees "no answer" without waiting a minute


@dataclass
class Stack:
    app: object
    sims: object
    broker: SecureBroker
    console: object
    browser: object
    tmp: Path


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fleet-browser")
    (tmp / "broker").mkdir()
    broker = SecureBroker(tmp / "broker")
    db = f"sqlite:///{tmp / 'console.sqlite'}"
    engine = make_engine(db)
    add_user(engine, "operator", "op-pass", "operator")
    add_user(engine, "viewer", "view-pass", "viewer")
    engine.dispose()
    console = start_console(tmp, db, broker, offline_after=900,
                            extra=("--command-timeout", str(COMMAND_TIMEOUT_S)))
    creds = broker.add_terminal(TID, KIOSK_SITE)

    from ui.kivy_setup import prepare_kivy
    from ui.simulate import start_simulators

    base = load_config(REPO / "config" / "kiosk.toml")
    config = base.model_copy(update={
        "devices": base.devices.model_copy(update={
            "printer": base.devices.printer.model_copy(update={"status_poll_s": 0.3})}),
        "broker": broker_config(broker, creds, heartbeat_s=30),
        "paths": base.paths.model_copy(update={"data_dir": tmp / "kiosk"}),
        "fleet": base.fleet.model_copy(
            update={"command_key": terminal_key(broker.fleet_key, TID).hex()}),
    })
    config, sims = start_simulators(config)
    prepare_kivy(config)
    from ui.app import KioskApp

    app = KioskApp(config, simulators=sims)
    app._run_prepare()
    pw = sync_playwright().start()
    browser = launch_chromium(pw)
    try:
        yield Stack(app, sims, broker, console, browser, tmp)
    finally:
        browser.close()
        pw.stop()
        app.stop()
        console.stop()
        broker.stop()


def pump_until(cond, timeout: float = 15, what: str = "") -> float:
    """Run Kivy frames (the kiosk's UI thread) while checking the browser; returns the time."""
    from tests.robot.kivy_robot import frames

    start = time.monotonic()
    while not cond():
        assert time.monotonic() - start < timeout, f"timed out waiting for {what}"
        frames(1)
    return time.monotonic() - start


def tile_light(page) -> str | None:
    return page.get_attribute(f"#tile-{TID}", "data-light", timeout=2000) \
        if page.locator(f"#tile-{TID}").count() else None


def test_printer_out_of_paper_turns_the_terminal_yellow_within_2_s(stack):
    page = login(stack.browser, stack.console.url, "viewer", "view-pass")
    pump_until(lambda: tile_light(page) == "green", timeout=30, what="green tile")
    page.screenshot(path=str(SHOTS / "board-green.png"), full_page=True)

    stack.sims.printer.paper = "out"
    took = pump_until(lambda: tile_light(page) == "yellow", timeout=10, what="yellow tile")
    assert took < 2.0, f"the board turned yellow after {took:.2f} s"
    assert "缺纸" in page.inner_text(f"#tile-{TID}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "board-paper-out.png"), full_page=True)

    # The printer's own words for it, in the language the console is read in.
    url, other = stack.console.url, page.context.new_page()
    other.goto(f"{url}/t/{TID}")
    assert other.inner_text("#dev-printer .dev-detail") == "打印纸用完"
    other.screenshot(path=str(SHOTS / "terminal-paper-out-zh.png"), full_page=True)
    other.goto(f"{url}/alarms")
    assert "打印纸用完" in other.inner_text("#alarm-table")
    assert "paper out" not in other.inner_text("#alarm-table")
    other.screenshot(path=str(SHOTS / "alarms-paper-out-zh.png"), full_page=True)
    other.goto(f"{url}/lang/en")
    other.goto(f"{url}/t/{TID}")
    assert other.inner_text("#dev-printer .dev-detail") == "paper out"
    other.screenshot(path=str(SHOTS / "terminal-paper-out-en.png"), full_page=True)
    other.goto(f"{url}/alarms")
    assert "paper out" in other.inner_text("#alarm-table")
    assert "打印纸用完" not in other.inner_text("#alarm-table")
    other.screenshot(path=str(SHOTS / "alarms-paper-out-en.png"), full_page=True)
    other.goto(f"{url}/lang/zh")
    other.close()

    stack.sims.printer.paper = "ok"
    pump_until(lambda: tile_light(page) == "green", what="green again after refill")
    page.context.close()


def test_operator_takes_the_kiosk_out_of_service_and_the_attract_screen_says_so(stack):
    from tests.robot.kivy_robot import screenshot

    app = stack.app
    pump_until(lambda: app.health.listening.is_set(), what="kiosk subscribed to commands")
    page = login(stack.browser, stack.console.url, "operator", "op-pass")
    page.goto(f"{stack.console.url}/t/{TID}")
    page.click("button[data-cmd=out_of_service]")
    assert page.is_visible("dialog#confirm")  # asks first
    assert TID in page.inner_text("#confirm-text")
    page.click("#confirm-ok")
    touch_line = app.screens.get_screen("attract").ids.touch_line
    pump_until(lambda: touch_line.text == "本终端暂停服务，请使用其他终端", what="attract says so")
    assert app.controller.out_of_service
    screenshot(SHOTS, "kiosk-attract-out-of-service")
    pump_until(lambda: page.locator("#cmd-history tr[data-state=done]").count() >= 1,
               what="answer on the page")
    assert "已完成" in page.inner_text("#cmd-history")

    page.click("button[data-cmd=screenshot]")
    page.click("#confirm-ok")
    pump_until(lambda: page.locator("img.shot").count() == 1, what="screenshot on the page")
    page.screenshot(path=str(SHOTS / "terminal-out-of-service.png"), full_page=True)

    page.click("button[data-cmd=in_service]")
    page.click("#confirm-ok")
    pump_until(lambda: touch_line.text == "请触摸屏幕开始", what="back in service")
    page.context.close()


def test_a_refresh_on_its_way_when_the_operator_clicks_keeps_the_question_open(stack):
    """The page's content, confirmation dialog included, is swapped on every refresh;
    one already on its way when a command button is clicked must not close the
    question (it did: a CI run's click on 暂停服务 found no dialog)."""
    page = login(stack.browser, stack.console.url, "operator", "op-pass")
    page.goto(f"{stack.console.url}/t/{TID}")
    still_open = page.evaluate("""async () => {
        const arriving = window.consoleRefresh();  // the fetch is on its way
        document.querySelector("button[data-cmd=out_of_service]").click();
        await arriving;  // and lands while the dialog is open
        return document.querySelector("dialog#confirm").open;
    }""")
    assert still_open
    page.click("dialog#confirm button[value=cancel]")
    pump_until(lambda: not page.evaluate("document.querySelector('dialog[open]') !== null"),
               what="the dialog closed")
    assert not stack.app.out_of_service
    page.context.close()


def test_a_viewer_cannot_send_commands(stack):
    app = stack.app
    page = login(stack.browser, stack.console.url, "viewer", "view-pass")
    page.goto(f"{stack.console.url}/t/{TID}")
    assert page.is_disabled("button[data-cmd=out_of_service]")
    assert "查看员不能发送远程操作" in page.inner_text("main")
    # Not only a greyed-out button: the server refuses the viewer's request.
    resp = page.request.post(f"{stack.console.url}/t/{TID}/cmd",
                             form={"cmd": "out_of_service"},
                             headers={"Origin": stack.console.url})  # as the page's own
    assert resp.status == 403 and "operators" in resp.text()
    pump_until(lambda: True)
    assert not app.out_of_service
    page.screenshot(path=str(SHOTS / "terminal-viewer.png"), full_page=True)
    page.context.close()


def kiosk_config(stack, tid: str, creds: dict) -> Path:
    """The shipped config/kiosk.toml, pointed at the test's TLS broker as terminal ``tid``."""
    folder = stack.tmp / tid
    folder.mkdir()
    text = (REPO / "config" / "kiosk.toml").read_text()
    text = text.replace('id = "SZFT-0001"', f'id = "{tid}"')
    text = text.replace("port = 18830", f"port = {stack.broker.port}\ntls = true\n"
                        f'ca_file = "{stack.broker.ca_file}"\n'
                        f'username = "{creds["username"]}"\npassword = "{creds["password"]}"')
    text = text.replace('data_dir = "var"', f'data_dir = "{folder}"')
    key = terminal_key(stack.broker.fleet_key, tid).hex()  # signed by this test's console
    text = re.sub(r'command_key = "[0-9a-f]*"', f'command_key = "{key}"', text)
    path = folder / "kiosk.toml"
    path.write_text(text)
    return path


def test_a_hung_then_killed_kiosk_no_answer_then_grey_and_commands_refused(stack):
    """The real kiosk (`python -m ui --simulate`, offscreen): stopped (SIGSTOP), a
    command waits and shows "no answer"; resumed, its late answer is recorded; killed -9,
    only its Will: grey on the board, and a command is refused before it is sent."""
    tid = "SZFT-0002"
    config = kiosk_config(stack, tid, stack.broker.add_terminal(tid, KIOSK_SITE))
    env = {**os.environ, "PYTHONPATH": str(REPO), "SDL_VIDEODRIVER": "offscreen",
           "KIVY_NO_ARGS": "1", "KIVY_HOME": str(stack.tmp / tid / "kivy")}
    proc = subprocess.Popen([sys.executable, "-m", "ui", "--config", str(config),
                             "--simulate"], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    page = login(stack.browser, stack.console.url, "viewer", "view-pass")
    try:
        def light() -> str | None:
            tile = page.locator(f"#tile-{tid}")
            return tile.get_attribute("data-light") if tile.count() else None

        pump_until(lambda: light() == "green", timeout=60, what="second kiosk green")
        term = login(stack.browser, stack.console.url, "operator", "op-pass")
        term.goto(f"{stack.console.url}/t/{tid}")
        history = term.locator("#cmd-history")
        proc.send_signal(signal.SIGSTOP)  # hung: connected, silent
        term.click("button[data-cmd=rebirth]")
        term.click("#confirm-ok")
        pump_until(lambda: history.locator("tr[data-state=sent]").count() == 1, what="sent")
        pump_until(lambda: history.locator("tr[data-state=no_answer]").count() == 1,
                   timeout=COMMAND_TIMEOUT_S + 10, what="no answer, without a reload")
        assert "无应答" in history.inner_text()
        term.screenshot(path=str(SHOTS / "terminal-no-answer-zh.png"), full_page=True)
        proc.send_signal(signal.SIGCONT)  # it comes back and answers, late
        pump_until(lambda: history.locator("tr[data-state=done]").count() == 1, timeout=30,
                   what="the late answer")
        assert "超时后应答" in history.inner_text()
        term.screenshot(path=str(SHOTS / "terminal-late-answer-zh.png"), full_page=True)

        proc.kill()  # kill -9: no goodbye, only the broker's Last Will
        proc.wait()
        pump_until(lambda: light() == "grey", timeout=15, what="grey via the Last Will")
        assert "失联" in page.inner_text(f"#tile-{tid}")
        page.screenshot(path=str(SHOTS / "board-killed-kiosk-grey.png"), full_page=True)
        pump_until(lambda: term.locator("#offline-note").count() == 1, what="offline warning")
        term.click("button[data-cmd=rebirth]")
        term.click("#confirm-ok")
        toasts = term.locator("#toasts")
        pump_until(lambda: toasts.count() == 1 and "离线" in toasts.inner_text(),
                   what="the refusal")
        assert f"终端 {tid} 离线" in toasts.inner_text()
        term.screenshot(path=str(SHOTS / "terminal-offline-refused-zh.png"), full_page=True)
        assert history.locator("tr").count() == 1  # nothing was sent
        term.context.close()
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGCONT)
        proc.kill()
        page.context.close()


def test_screenshots_of_every_page(stack):
    """A fleet of simulated terminals around the real one, then every page, zh and en."""
    for i in range(60):
        stack.broker.add_user_only(f"SIM-{i:05d}", "sim-pass", f"site-{i % 4:03d}")
    stack.broker.reload(check=("SIM-00059", "sim-pass"))
    lg = subprocess.Popen([sys.executable, "-m", "fleet.loadgen", "--terminals", "60",
                           "--host", stack.broker.host, "--port", str(stack.broker.port),
                           "--ca-file", str(stack.broker.ca_file), "--password", "sim-pass",
                           "--sites", "4", "--heartbeat", "5", "--txn-every", "4",
                           "--fault-every", "3", "--backfill-days", "6", "--duration", "60"],
                          cwd=REPO, stdout=subprocess.PIPE, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    page = login(stack.browser, stack.console.url, "operator", "op-pass")
    url = stack.console.url
    try:
        pump_until(lambda: page.locator(".tile").count() >= 50, timeout=40, what="the fleet")
        pump_until(lambda: page.locator(".tile.yellow, .tile.red").count() >= 3, timeout=30,
                   what="some faults")
        page.screenshot(path=str(SHOTS / "board-zh.png"), full_page=True)
        page.select_option("#f-state", "yellow")
        classes = page.eval_on_selector_all(".tile", "els => els.map(e => e.className)")
        assert classes and all("yellow" in c for c in classes)
        page.screenshot(path=str(SHOTS / "board-filtered-yellow.png"), full_page=True)
        page.select_option("#f-state", "")
        page.select_option("#f-site", "site-001")
        heads = page.eval_on_selector_all(".site-head", "els => els.map(e => e.textContent)")
        assert len(heads) == 1 and heads[0].startswith("site-001")
        page.select_option("#f-site", "")
        page.goto(f"{url}/alarms")
        page.screenshot(path=str(SHOTS / "alarms-zh.png"), full_page=True)
        page.click("#alarm-table button")  # acknowledge the first alarm
        pump_until(lambda: "✔ operator" in page.inner_text("#alarm-table"), what="acked")
        page.screenshot(path=str(SHOTS / "alarms-acked.png"), full_page=True)
        page.goto(f"{url}/t/{TID}")
        from kiosk.fleet.link import config_hash
        facts = page.inner_text("dl.facts")
        assert config_hash(stack.app.config_model) in facts  # which config it runs
        assert "CPU" in facts and "运行时长" in facts
        page.screenshot(path=str(SHOTS / "terminal-zh.png"), full_page=True)
        page.goto(f"{url}/t/SIM-00003")
        assert "°C" in page.inner_text("dl.facts")  # this one has a thermal sensor
        assert page.locator("svg.chart rect").count() == 14  # transactions, 14 days
        bars = page.eval_on_selector_all("svg.chart text.v",
                                         "els => els.map(e => +e.textContent)")
        assert sum(bars) > 0 and max(bars) > min(bars)  # its backfilled days
        page.screenshot(path=str(SHOTS / "terminal-simulated.png"), full_page=True)
        page.goto(f"{url}/supervision")
        assert page.locator("#sup-service tbody tr").count() >= 1
        assert "社保参保查询" in page.inner_text("#sup-service")  # journal names, translated
        page.screenshot(path=str(SHOTS / "supervision-zh.png"), full_page=True)
        page.goto(f"{url}/lang/en")
        page.goto(f"{url}/")
        pump_until(lambda: page.locator(".tile").count() >= 50, what="board in English")
        assert "Board" in page.inner_text("header")
        page.screenshot(path=str(SHOTS / "board-en.png"), full_page=True)
        page.goto(f"{url}/supervision?days=30")
        assert "Social insurance status" in page.inner_text("#sup-service")
        page.screenshot(path=str(SHOTS / "supervision-en.png"), full_page=True)
        page.goto(f"{url}/alarms")
        page.screenshot(path=str(SHOTS / "alarms-en.png"), full_page=True)
        page.goto(f"{url}/t/{TID}")
        page.screenshot(path=str(SHOTS / "terminal-en.png"), full_page=True)
        page.goto(f"{url}/t/SIM-00003")
        page.screenshot(path=str(SHOTS / "terminal-simulated-en.png"), full_page=True)
        page.context.clear_cookies()
        page.goto(f"{url}/lang/en")
        page.goto(f"{url}/login")
        assert "Log in" in page.inner_text("form")
        page.screenshot(path=str(SHOTS / "login-en.png"))
        page.goto(f"{url}/lang/zh")
        page.goto(f"{url}/login")
        assert "登录" in page.inner_text("form")
        page.screenshot(path=str(SHOTS / "login.png"))
    finally:
        lg.kill()
        lg.wait()
        page.context.close()
