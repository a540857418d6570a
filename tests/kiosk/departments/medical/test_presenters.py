"""医保's presenters: pure functions of typed answers, in Chinese and English."""

from __future__ import annotations

import re
from datetime import date

import pytest

from kiosk.departments.medical.presenters import (
    present_confirm,
    present_form,
    present_outcome,
    present_spending,
    present_status,
    present_voucher,
    start_choices,
)
from kiosk.departments.medical.service import (
    Account,
    Filing,
    FilingOptions,
    MedicalStatus,
    Option,
    Spending,
)
from kiosk.departments.medical.state import STEPS, FilingDraft, FilingStep
from kiosk.departments.medical.texts import TEXTS

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
FILING = Filing(filing_ref="BA20261122000042", city_code="430100", city_zh="湖南省长沙市",
                city_en="Changsha, Hunan", reason="long_term_residence",
                reason_zh="异地长期居住", reason_en="Living in another city long-term",
                start_date="2025-03-01", end_date="", filed_at="2025-02-26 10:12")
OPTIONS = FilingOptions(
    cities=(Option(code="440100", name_zh="广东省广州市", name_en="Guangzhou, Guangdong"),
            Option(code="430100", name_zh="湖南省长沙市", name_en="Changsha, Hunan")),
    reasons=(Option(code="long_term_residence", name_zh="异地长期居住", name_en="Living"),
             Option(code="referral", name_zh="异地转诊", name_en="Referral")),
    max_days_ahead=90)


def status(state: str = "insured", **change) -> MedicalStatus:
    fields = dict(holder_name="李演示", insured=state == "insured", scheme="employee",
                  scheme_zh="职工基本医疗保险", scheme_en="Employee basic medical insurance",
                  category="retired", category_zh="退休", category_en="Retired", state=state,
                  state_zh="正常参保", state_en="Insured", note_zh="可结算", note_en="Pays",
                  since="1998-01", place_zh="深圳市", place_en="Shenzhen", has_account=True,
                  filing=None)
    return MedicalStatus(**{**fields, **change})


def spending(kind: str, account_fen: int) -> Spending:
    return Spending(spent_at="2026-11-18 10:24", kind=kind, kind_zh="门诊", kind_en="Outpatient",
                    place="深圳市示例人民医院", place_en="Shili People's Hospital",
                    total_fen=10000, fund_fen=6000, account_fen=account_fen,
                    cash_fen=4000 - account_fen)


def account(rows=(), **change) -> Account:
    fields = dict(holder_name="孙样例", account_state="normal", account_state_zh="正常",
                  account_state_en="Normal", balance_fen=874512, spending=tuple(rows),
                  total_account_fen=sum(r.account_fen for r in rows))
    return Account(**{**fields, **change})


def test_every_text_has_both_languages_and_the_same_placeholders():
    for key, text in TEXTS.items():
        zh, en = text.zh, text.en
        assert zh and en and not CJK.search(en), key
        assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), key


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_status_lines_in_the_citizens_language(lang):
    view = present_status(status(filing=FILING), lang)
    values = dict(view.lines)
    text = " ".join(f"{k} {v}" for k, v in view.lines) + view.holder + view.note
    assert "李演示" not in text and "李*示" in view.holder  # masked on screen
    if lang == "en":
        assert not CJK.search(text.replace("李*示", ""))
        assert values["Treatment elsewhere"] == "Changsha, Hunan (Living in another city long-term)"
    else:
        assert values["异地就医备案"] == "湖南省长沙市（异地长期居住）"
    assert (view.can_file, view.can_voucher, view.can_print) == (False, True, True)  # filed


def test_what_each_state_allows():
    assert present_status(status(), "zh").can_file
    suspended = present_status(status("suspended", has_account=True), "zh")
    assert (suspended.tone, suspended.can_file, suspended.can_voucher) == ("warn", False, True)
    lapsed = present_status(status("lapsed", scheme="resident", has_account=False), "en")
    assert (lapsed.can_account, lapsed.can_voucher, lapsed.can_print, lapsed.can_file) == (
        False, False, False, False)
    assert lapsed.tone == "bad" and lapsed.hint == "Not insured this year: not available"
    resident = present_status(status(scheme="resident", has_account=False), "zh")
    assert resident.hint == "居民医保无个人账户" and not resident.can_account


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_spending_rows_and_summary(lang):
    rows = [spending("outpatient", 2800), spending("inpatient", 0)] * 200
    listing = present_spending(account(rows), None, lang)
    assert len(listing.rows) == 400 and listing.rows[0].value == "¥28.00"
    assert listing.rows[1].tone == "warn"  # a hospital stay stands out
    assert "874,512" not in listing.summary and "8,745.12" in listing.summary
    assert "孙*例" in listing.summary and "孙样例" not in listing.summary
    if lang == "en":
        assert listing.rows[0].detail == ("Shili People's Hospital · total ¥100.00 · "
                                          "fund ¥60.00 · cash ¥12.00")
        assert "400 payments" in listing.summary
    else:
        assert "统筹 ¥60.00" in listing.rows[0].detail and "共400笔" in listing.summary
    pharmacy = present_spending(account([Spending(
        spent_at="2026-11-18 10:24", kind="pharmacy", kind_zh="药店购药", kind_en="Pharmacy",
        place="深圳市示例大药房（福田店）", place_en="Shili Pharmacy, Futian", total_fen=2500,
        fund_fen=0, account_fen=2500, cash_fen=0)]), None, lang)
    assert pharmacy.rows[0].detail in ("深圳市示例大药房（福田店）", "Shili Pharmacy, Futian")
    assert pharmacy.rows[0].tone == ""


def test_frozen_zero_and_empty_accounts():
    frozen = present_spending(account([spending("pharmacy", 100)], account_state="frozen",
                                      account_state_zh="已冻结", account_state_en="Frozen",
                                      note_zh="停保期间个人账户暂停支付", note_en="Stopped"),
                              None, "zh")
    assert "已冻结" in frozen.summary and "暂停支付" in frozen.summary
    empty = present_spending(account(balance_fen=0), None, "en")
    assert empty.rows == [] and empty.empty == "No spending from the account yet"
    assert "¥0.00" in empty.summary


def test_the_voucher_counts_down_then_hides_its_code():
    live = present_voucher("https://mi.example.gov.cn/ec/activate?t=X", 180, 30.4, "zh")
    assert (live.payload != "", live.countdown, live.expired) == (True, "二维码149秒后失效", False)
    gone = present_voucher("https://mi.example.gov.cn/ec/activate?t=X", 180, 180.0, "en")
    assert (gone.payload, gone.expired) == ("", True) and "Refresh" in gone.countdown


def test_start_choices_stay_within_the_back_ends_window():
    for today in (date(2026, 11, 22), date(2026, 12, 31), date(2027, 1, 31), date(2028, 2, 29)):
        days = [d for _, d in start_choices(today)]
        assert days[0] == today and all(0 <= (d - today).days <= 90 for d in days)
        assert days[3].day == 1 and days[3] > today


def test_the_form_marks_choices_and_waits_for_all_three():
    empty = present_form(OPTIONS, FilingDraft(), date(2026, 11, 22), "en")
    assert not empty.can_continue and empty.hint
    assert [c.label for c in empty.starts] == [
        "Today 11-22", "Tomorrow 11-23", "In a week 11-29", "1st of next month 12-01"]
    draft = FilingDraft("430100", "referral", "2026-11-23")
    full = present_form(OPTIONS, draft, date(2026, 11, 22), "zh")
    assert full.can_continue and full.hint == ""
    assert [c.chosen for c in full.cities] == [False, True]
    assert [c.label for c in full.starts if c.chosen] == ["明天 11-23"]


def test_the_confirmation_says_how_long_it_is_valid():
    lines = present_confirm(OPTIONS, FilingDraft("430100", "referral", "2026-11-23"), "zh")
    assert lines == [("就医地", "湖南省长沙市"), ("备案类型", "异地转诊"),
                     ("开始日期", "2026-11-23"), ("", "有效期至 2027-05-22")]
    long_term = present_confirm(OPTIONS, FilingDraft("440100", "long_term_residence",
                                                      "2026-11-22"), "en")
    assert long_term[-1] == ("", "Until changed (at a counter)")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_outcome_says_something_and_only_uncertain_ones_retry(lang):
    for name in STEPS[2:]:
        view = present_outcome(FilingStep(name, FILING if name in ("filed", "already") else None),
                               lang)
        assert view.headline, name
        assert view.can_retry == (name in ("not_done", "unknown", "down")), name
        if lang == "en":
            assert not CJK.search(view.headline + view.detail), name
    filed = present_outcome(FilingStep("filed", FILING), "zh")
    assert "BA20261122000042" in filed.detail and filed.tone == "ok"


def test_state_values_keep_personal_data_out_of_repr():
    step = FilingStep("filed", FILING)
    assert repr(step) == "FilingStep(<personal>)" and "BA2026" not in str(step)
    with pytest.raises(ValueError):
        FilingStep("maybe")
