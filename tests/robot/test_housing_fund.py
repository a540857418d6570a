"""公积金 end to end with touches against the real back end: the account, its three
lists on the records screen, the printed certificate (QR decoded and verified), a
frozen account, a person without an account, and the department failing."""

from __future__ import annotations

import httpx
import pytest
import zxingcpp

from backend.citizens import DEMO_CITIZENS
from drivers.printer.protocol import EscPosParser, render_pages
from kiosk.departments.housing_fund import DEPARTMENT as HOUSING_FUND
from kiosk.departments.social_security import DEPARTMENT as SOCIAL_SECURITY
from tests.robot.kivy_robot import screenshot, tap, wait_until
from tests.robot.steps import finish_with_rating, identify
from tests.robot.world import SHOTS, assert_nothing_personal

pytestmark = pytest.mark.robot
EMPLOYEE = next(c for c in DEMO_CITIZENS if c.name == "张示例")
FROZEN = next(c for c in DEMO_CITIZENS if c.name == "赵样本")
NO_ACCOUNT = next(c for c in DEMO_CITIZENS if c.name == "王测试")
IN_PROGRESS = next(c for c in DEMO_CITIZENS if c.name == "陈模拟")


def open_hf(world):
    app = world.app
    home = app.screens.get_screen("home")
    wait_until(lambda: home.tile(HOUSING_FUND).enabled, what="housing fund tile available")
    tap(home.tile(HOUSING_FUND))
    hf = app.screens.get_screen("hf_account")
    wait_until(lambda: app.screens.current == "hf_account" and hf.loaded, what="the account")
    return hf


def rows_of(app) -> list[dict]:
    return app.screens.get_screen("records").ids.rv.data


def records_shown(app, n: int) -> None:
    wait_until(lambda: app.screens.current == "records" and len(rows_of(app)) == n,
               what=f"{n} rows on the records screen")


def test_account_lists_and_certificate(patient):
    world = patient
    app, sims = world.app, world.sims
    identify(world, EMPLOYEE)
    hf = open_hf(world)
    assert hf.loaded and hf.balance == "218,560.00" and hf.status == "正常缴存"
    assert hf.holder == "缴存人：张*例" and hf.can_print
    screenshot(SHOTS, "hf-account")

    tap(hf.ids.contrib_button)
    records_shown(app, 128)
    assert rows_of(app)[0]["detail"] == "单位 1,440.00 · 个人 1,440.00"
    screenshot(SHOTS, "hf-contributions")
    records = app.screens.get_screen("records")
    tap(records.ids.back_button)
    wait_until(lambda: app.screens.current == "hf_account", what="back to the account")

    tap(hf.ids.loan_button)
    records_shown(app, 360)
    assert "已还 88 期" in records.summary

    def first_shown() -> int:
        views = records.ids.rv.view_adapter.views
        return min(int(v.index) for v in views.values()) if views else -1

    wait_until(lambda: 84 <= first_shown() <= 89, what="the schedule opened at the next due")
    screenshot(SHOTS, "hf-loan-schedule")
    tap(records.ids.back_button)
    wait_until(lambda: app.screens.current == "hf_account", what="back to the account")

    tap(hf.ids.withdrawal_button)
    records_shown(app, 1)
    assert rows_of(app)[0]["title"] == "购房提取" and rows_of(app)[0]["tone"] == "ok"
    tap(records.ids.back_button)
    wait_until(lambda: app.screens.current == "hf_account", what="back to the account")

    jobs_before = len(sims.printer.jobs)
    tap(hf.ids.print_button)
    wait_until(lambda: app.screens.current == "printing", what="printing screen")
    job = sims.printer.wait_for_jobs(jobs_before + 1, timeout=30)[-1]
    wait_until(lambda: app.controller.print_state == "done", what="print done")
    page = render_pages(EscPosParser().feed(bytes(job.data)))[0]
    page.save(SHOTS / "printed-hf-certificate.png")
    codes = zxingcpp.read_barcodes(page.convert("L"))
    assert len(codes) == 1
    code = codes[0].text.rsplit("=", 1)[-1]
    assert code.startswith("GJ")
    check = httpx.get(f"{world.backend_url}/api/v1/certificates/{code}", timeout=5).json()
    assert check == {"valid": True, "kind": "housing_fund.contribution",
                     "issued_at": check["issued_at"], "holder_name_masked": "张*例"}
    finish_with_rating(world, "printing")
    assert_nothing_personal(app, EMPLOYEE, extra=("218,560.00", "4403********5671"))


def test_a_frozen_account_gets_no_certificate(patient):
    world = patient
    app = world.app
    identify(world, FROZEN)
    hf = open_hf(world)
    assert hf.status == "冻结" and hf.tone == "bad"
    assert not hf.can_print and hf.ids.print_button.disabled
    assert "司法冻结" in hf.notice
    screenshot(SHOTS, "hf-frozen")
    tap(hf.ids.loan_button)
    records_shown(app, 240)
    records = app.screens.get_screen("records")
    assert "逾期 2 期" in records.summary
    overdue = [r for r in rows_of(app) if r["tone"] == "bad"]
    assert len(overdue) == 2 and overdue[0]["detail"].startswith("逾期")
    screenshot(SHOTS, "hf-loan-overdue")
    finish_with_rating(world, "records")
    assert_nothing_personal(app, FROZEN)


def test_withdrawal_in_progress_in_english(patient):
    world = patient
    app = world.app
    identify(world, IN_PROGRESS)
    tap(app.root_widget.ids.lang_button)
    wait_until(lambda: app.lang == "en")
    try:
        hf = open_hf(world)
        assert hf.status == "Contributing"
        screenshot(SHOTS, "hf-account-en")
        tap(hf.ids.withdrawal_button)
        records_shown(app, 1)
        row = rows_of(app)[0]
        assert row["title"] == "Rent" and "Under review" in row["detail"]
        assert row["tone"] == "warn"
        screenshot(SHOTS, "hf-withdrawal-en")
    finally:
        tap(app.root_widget.ids.lang_button)
        wait_until(lambda: app.lang == "zh")


def test_no_account_says_so(patient):
    world = patient
    app = world.app
    identify(world, NO_ACCOUNT)
    tap(app.screens.get_screen("home").tile(HOUSING_FUND))
    hf = app.screens.get_screen("hf_account")
    wait_until(lambda: hf.notice == "未查询到您的公积金账户", what="no account notice")
    assert not hf.loaded and hf.ids.contrib_button.disabled and not hf.can_print
    screenshot(SHOTS, "hf-no-account")


def test_housing_fund_down_marks_the_tile_and_comes_back(patient):
    world = patient
    app = world.app
    identify(world, EMPLOYEE)
    fault = {"department": "housing-fund", "mode": "garbage"}
    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", json=fault, timeout=5)
    tap(app.screens.get_screen("home").tile(HOUSING_FUND))
    hf = app.screens.get_screen("hf_account")
    wait_until(lambda: hf.notice == "公积金服务暂时不可用，请稍后再试", what="error notice")
    assert not hf.loaded
    app.show("home")
    home = app.screens.get_screen("home")
    wait_until(lambda: not home.tile(HOUSING_FUND).enabled, what="tile marked unavailable")
    assert home.tile(HOUSING_FUND).sub == "暂不可用（返回异常）"
    assert home.tile(SOCIAL_SECURITY).enabled  # 社保 is not affected
    screenshot(SHOTS, "hf-home-department-down")
    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", json={**fault, "mode": "none"},
               timeout=5)
    wait_until(lambda: home.tile(HOUSING_FUND).enabled, what="the prober bringing it back")
    hf = open_hf(world)
    assert hf.loaded
