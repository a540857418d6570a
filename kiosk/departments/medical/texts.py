"""Every text 医保's screens show, both languages side by side, owned by the department
(so adding it touches no shared catalog). ``say(key, lang, **values)`` formats one."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # status
    "title": ("医保服务", "Medical insurance"),
    "holder": ("参保人：{name}", "Insured person: {name}"),
    "scheme": ("险种", "Scheme"),
    "category": ("人员类别", "Category"),
    "state": ("参保状态", "Status"),
    "since": ("参保日期", "Insured since"),
    "since_value": ("{since}起", "since {since}"),
    "place": ("参保地", "Insured in"),
    "filing": ("异地就医备案", "Treatment elsewhere"),
    "filing_value": ("{city}（{reason}）", "{city} ({reason})"),
    "filing_none": ("未备案", "None filed"),
    "account": ("账户余额与消费记录", "Account balance and spending"),
    "voucher": ("医保电子凭证", "Medical insurance e-voucher"),
    "file": ("异地就医备案", "File treatment elsewhere"),
    "print": ("打印参保凭证", "Print insurance certificate"),
    "no_account": ("居民医保无个人账户", "Resident insurance has no personal account"),
    "not_insured": ("本年度未参保，暂不能办理", "Not insured this year: not available"),
    "loading": ("正在查询医保信息…", "Looking up your medical insurance…"),
    "not_found": ("未查询到您的医保参保信息", "No medical insurance record was found for you"),
    "error": ("医保系统暂时无法查询，请稍后再试", "The medical insurance system cannot answer "
              "now. Please try again later."),
    # account and spending
    "records_title": ("医保个人账户", "Medical insurance account"),
    "balance": ("{name}  账户余额 ¥{balance}（{state}）",
                "{name}  balance ¥{balance} ({state})"),
    "spent": ("共{count}笔，个人账户支付合计 ¥{total}",
              "{count} payments, ¥{total} from the account in all"),
    "spending_detail": ("{place} · 总额 ¥{total} · 统筹 ¥{fund} · 现金 ¥{cash}",
                        "{place} · total ¥{total} · fund ¥{fund} · cash ¥{cash}"),
    "no_spending": ("个人账户暂无消费记录", "No spending from the account yet"),
    # e-voucher
    "voucher_title": ("医保电子凭证", "Medical insurance e-voucher"),
    "voucher_hint": ("请用手机微信或支付宝扫码，领取并激活您的医保电子凭证",
                     "Scan with WeChat or Alipay on your phone to add and activate "
                     "your e-voucher"),
    "voucher_left": ("二维码{seconds}秒后失效", "This code expires in {seconds} s"),
    "voucher_expired": ("二维码已失效，请点击刷新", "This code has expired: tap Refresh"),
    "voucher_refresh": ("刷新二维码", "Refresh code"),
    "voucher_loading": ("正在生成二维码…", "Making the code…"),
    "voucher_error": ("暂时无法生成电子凭证，请稍后再试",
                      "The e-voucher cannot be made now. Please try again later."),
    # 备案 form
    "form_title": ("异地就医备案", "Register treatment in another city"),
    "form_city": ("1. 选择就医地", "1. Where will you be treated?"),
    "form_reason": ("2. 选择备案类型", "2. Why?"),
    "form_start": ("3. 选择开始日期", "3. From when?"),
    "form_next": ("下一步", "Next"),
    "form_missing": ("请选择就医地、备案类型和开始日期",
                     "Please choose a city, a reason and a date"),
    "city_label": ("就医地", "City"),
    "reason_label": ("备案类型", "Reason"),
    "start_label": ("开始日期", "From"),
    "start_today": ("今天 {date}", "Today {date}"),
    "start_tomorrow": ("明天 {date}", "Tomorrow {date}"),
    "start_week": ("一周后 {date}", "In a week {date}"),
    "start_month": ("下月1日 {date}", "1st of next month {date}"),
    "confirm_title": ("请确认备案信息", "Please check before filing"),
    "confirm_end_long": ("长期有效（变更请到窗口办理）", "Until changed (at a counter)"),
    "confirm_end": ("有效期至 {date}", "Valid until {date}"),
    "confirm_note": ("备案提交后不可在自助终端撤销", "A filing cannot be withdrawn at this kiosk"),
    "confirm_yes": ("确认提交", "File it"),
    "confirm_no": ("返回修改", "Change"),
    "sending": ("正在提交备案…", "Filing…"),
    "filed": ("备案成功", "Filed"),
    "filed_detail": ("备案编号 {ref}\n{city} · {reason} · {start}起",
                     "Filing number {ref}\n{city} · {reason} · from {start}"),
    "already": ("您已有生效的异地就医备案", "You already have a filing in force"),
    "refused": ("未能备案：{why}", "Not filed: {why}"),
    "refused_other": ("请到医保服务窗口办理", "please go to a medical insurance counter"),
    "not_done": ("备案未送达，可以再次提交（不会重复备案）",
                 "The filing did not arrive. You may send it again (it is never filed twice)."),
    "unknown": ("网络异常，无法确认是否已备案。可再次提交，不会重复备案",
                "The network failed: we cannot tell whether it was filed. Sending it "
                "again is safe: it is never filed twice."),
    "down": ("医保系统暂时无法连接，备案未提交", "The medical insurance system cannot be "
             "reached. Nothing was filed."),
    "retry": ("再次提交", "Send again"),
}


def say(key: str, lang: str, **values: object) -> str:
    zh, en = TEXTS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text

