"""Debian's Chromium driven by Playwright (never `playwright install`: no download)."""

from __future__ import annotations

import shutil

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def launch_chromium(playwright):
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        return playwright.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
    except Exception as exc:  # fail, never skip: the browser is part of the test
        raise RuntimeError(f"Chromium ({exe}) did not start: run `make setup`: {exc}") from exc


def login(browser, url: str, name: str, password: str, lang: str = "zh"):
    context = browser.new_context(viewport={"width": 1440, "height": 900},
                                  locale="zh-CN" if lang == "zh" else "en-US")
    context.add_cookies([{"name": "lang", "value": lang, "url": url}])
    page = context.new_page()
    page.goto(f"{url}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    return page
