"""What the records screen shows of the 社保 histories, in both languages."""

from __future__ import annotations

from kiosk.departments.social_security.presenters import present_history, present_pensions
from kiosk.departments.social_security.service import (
    ContributionHistory,
    ContributionMonth,
    PensionPayment,
    PensionPayments,
)
from kiosk.i18n import Catalog
from kiosk.records import yuan

CATALOG = Catalog.load()


def t_for(lang: str):
    return lambda key, _lang=None, **values: CATALOG.text(key, lang, **values)


HISTORY = ContributionHistory("张示例", (
    ContributionMonth("2026-10", "深圳市示例科技有限公司", 1200000, 283200, 123600, "regular"),
    ContributionMonth("2026-09", "深圳市示例科技有限公司", 1200000, 283200, 123600, "back_pay"),
), 247200)


def test_contribution_rows_and_summary_in_chinese() -> None:
    listing = present_history(HISTORY, t_for("zh"), "zh")
    assert "张*例" in listing.summary and "张示例" not in listing.summary
    assert "共缴费 2 个月" in listing.summary and "2,472.00" in listing.summary
    first, second = listing.rows
    assert (first.title, first.value, first.tone) == ("2026-10", "4,068.00", "")
    assert first.detail == "单位 2,832.00 · 个人 1,236.00"
    assert second.title == "2026-09  补缴" and second.tone == "warn"


def test_contribution_rows_in_english_and_empty() -> None:
    listing = present_history(HISTORY, t_for("en"), "en")
    assert listing.rows[1].title == "2026-09  paid late"
    assert listing.rows[0].detail == "Employer 2,832.00 · You 1,236.00"
    empty = present_history(ContributionHistory("王测试", (), 0), t_for("zh"), "zh")
    assert empty.rows == [] and empty.empty == "未查询到缴费记录"


def test_pensions() -> None:
    pensions = PensionPayments("李演示", (
        PensionPayment("2026-11", 385000, "2026-11-10", "中国工商银行（尾号6621）"),
        PensionPayment("2026-10", 385000, "2026-10-10", "中国工商银行（尾号6621）"),
    ))
    listing = present_pensions(pensions, t_for("zh"), "zh")
    assert listing.summary == "领取人：李*示\n2026-10起领取，当前每月 3,850.00 元"
    assert listing.rows[0].detail == "2026-11-10 发放至 中国工商银行（尾号6621）"
    none = present_pensions(PensionPayments("张示例", ()), t_for("zh"), "zh")
    assert none.rows == () and none.empty == "未查询到养老金发放记录"


def test_yuan() -> None:
    assert [yuan(v) for v in (0, 5, 123456789, -1050)] == [
        "0.00", "0.05", "1,234,567.89", "-10.50"]


def test_the_status_screen_masks_the_name_and_follows_the_printer() -> None:
    from kiosk.departments.social_security.presenters import present_status
    from kiosk.departments.social_security.service import Insurance, InsuranceStatus

    pension = Insurance("pension", "基本养老保险", "Basic pension", "paying", "正常缴费",
                        "Paying", "2015-07", 136, "深圳市示例科技有限公司")
    status = InsuranceStatus("张示例", (pension,))
    shown = present_status(status, "", True, t_for("en"), "en")
    assert shown.loaded and shown.can_print and "张*例" in shown.holder
    assert shown.rows[0][0] == "Basic pension" and "Paying" in shown.rows[0][1]
    down = present_status(status, "", False, t_for("zh"), "zh")
    assert not down.can_print and down.notice == CATALOG.text("print.printer_down", "zh")
    never = present_status(InsuranceStatus("王测试", ()), "", True, t_for("zh"), "zh")
    assert never.rows == () and not never.can_print
    assert never.notice == CATALOG.text("ss.none", "zh")
    waiting = present_status(None, "正在查询", True, t_for("zh"), "zh")
    assert not waiting.loaded and waiting.notice == "正在查询" and waiting.holder == ""
    assert "张" not in repr(shown)
