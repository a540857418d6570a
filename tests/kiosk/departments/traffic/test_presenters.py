"""What the records screen shows of violations: states in words, plates masked."""

from __future__ import annotations

from kiosk.departments.traffic.presenters import present_violations
from kiosk.departments.traffic.service import Violation, Violations
from kiosk.i18n import Catalog

CATALOG = Catalog.load()


def t_for(lang: str):
    return lambda key, _lang=None, **values: CATALOG.text(key, lang, **values)


def violation(status: str, paid_order: str | None = None) -> Violation:
    return Violation(ref="R1", plate_masked="粤BD***45", occurred_at="2026-10-08 08:42",
                     place="深圳市福田区深南大道", act_zh="机动车违反规定停放",
                     act_en="Illegal parking", points=3, fine_fen=20000, status=status,
                     paid_order=paid_order)


def test_rows_say_the_state_and_offer_the_right_action() -> None:
    found = Violations(holder_name="张示例", violations=(
        violation("unpaid"), violation("unprocessed"), violation("paid", "PO1"),
        violation("paid")))
    listing = present_violations(found, t_for("zh"), "zh")
    assert [r.action for r in listing.rows] == ["缴款", "", "回执", ""]
    assert [r.tone for r in listing.rows] == ["warn", "bad", "ok", "ok"]
    assert listing.rows[0].detail == (
        "未缴款 · 记3分 · 2026-10-08 08:42\n粤B·D***45 · 深圳市福田区深南大道")
    assert "未缴罚款 1 笔，共 200.00 元" in listing.summary and "张*例" in listing.summary
    assert "交管窗口" in listing.summary  # the unprocessed one needs a counter


def test_english_and_none() -> None:
    found = Violations(holder_name="陈模拟", violations=(violation("unpaid"),))
    row = present_violations(found, t_for("en"), "en").rows[0]
    assert (row.title, row.action) == ("Illegal parking", "Pay")
    empty = present_violations(Violations(holder_name="陈模拟", violations=()), t_for("zh"), "zh")
    assert empty.rows == [] and empty.empty == "未查询到交通违法记录"


def test_the_place_in_the_citizens_language_or_chinese_when_none_came() -> None:
    with_english = violation("unpaid").model_copy(
        update={"place_en": "Shennan Blvd, Futian, Shenzhen"})
    found = Violations(holder_name="陈模拟", violations=(with_english, violation("unpaid")))
    en = present_violations(found, t_for("en"), "en").rows
    assert en[0].detail.endswith("Shennan Blvd, Futian, Shenzhen")
    assert en[1].detail.endswith("深圳市福田区深南大道")  # an older back end: no English sent
    zh = present_violations(found, t_for("zh"), "zh").rows
    assert zh[0].detail.endswith("深圳市福田区深南大道")
