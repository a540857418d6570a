"""Every text 医保's screens show, both languages side by side, owned by the department:
its declaration puts them in the catalog as ``medical.<name>`` (what the .kv files and
the shared screens ask ``app.t`` for); the presenters format them with ``say``."""

from __future__ import annotations

from kiosk.i18n import Text

TEXTS: dict[str, Text] = {
    # status
    "title": Text("医保服务", "Medical insurance"),
    "holder": Text("参保人：{name}", "Insured person: {name}"),
    "scheme": Text("险种", "Scheme"),
    "category": Text("人员类别", "Category"),
    "state": Text("参保状态", "Status"),
    "since": Text("参保日期", "Insured since"),
    "since_value": Text("{since}起", "since {since}"),
    "place": Text("参保地", "Insured in"),
    "filing": Text("异地就医备案", "Treatment elsewhere"),
    "filing_value": Text("{city}（{reason}）", "{city} ({reason})"),
    "filing_none": Text("未备案", "None filed"),
    "account": Text("账户余额与消费记录", "Account balance and spending"),
    "voucher": Text("医保电子凭证", "Medical insurance e-voucher"),
    "file": Text("异地就医备案", "File treatment elsewhere"),
    "print": Text("打印参保凭证", "Print insurance certificate"),
    "no_account": Text("居民医保无个人账户", "Resident insurance has no personal account"),
    "not_insured": Text("本年度未参保，暂不能办理", "Not insured this year: not available"),
    "loading": Text("正在查询医保信息…", "Looking up your medical insurance…"),
    "not_found": Text("未查询到您的医保参保信息", "No medical insurance record was found for you"),
    "error": Text("医保系统暂时无法查询，请稍后再试", "The medical insurance system cannot answer "
              "now. Please try again later."),
    # account and spending
    "records_title": Text("医保个人账户", "Medical insurance account"),
    "balance": Text("{name}  账户余额 ¥{balance}（{state}）",
                "{name}  balance ¥{balance} ({state})"),
    "spent": Text("共{count}笔，个人账户支付合计 ¥{total}",
              "{count} payments, ¥{total} from the account in all"),
    "spending_total": Text("总额 ¥{amount}", "total ¥{amount}"),
    "spending_fund": Text("统筹 ¥{amount}", "fund ¥{amount}"),
    "spending_cash": Text("现金 ¥{amount}", "cash ¥{amount}"),
    "no_spending": Text("个人账户暂无消费记录", "No spending from the account yet"),
    # e-voucher
    "voucher_title": Text("医保电子凭证", "Medical e-voucher"),
    "voucher_hint": Text("请用手机微信或支付宝扫码，领取并激活您的医保电子凭证",
                     "Scan with WeChat or Alipay on your phone to add and activate "
                     "your e-voucher"),
    "voucher_left": Text("二维码{seconds}秒后失效", "This code expires in {seconds} s"),
    "voucher_expired": Text("二维码已失效，请点击刷新", "This code has expired: tap Refresh"),
    "voucher_refresh": Text("刷新二维码", "Refresh code"),
    "voucher_loading": Text("正在生成二维码…", "Making the code…"),
    "voucher_error": Text("暂时无法生成电子凭证，请稍后再试",
                      "The e-voucher cannot be made now. Please try again later."),
    # 备案 form
    "form_title": Text("异地就医备案", "Treatment in another city"),
    "form_city": Text("1. 选择就医地", "1. Where will you be treated?"),
    "form_reason": Text("2. 选择备案类型", "2. Why?"),
    "form_start": Text("3. 选择开始日期", "3. From when?"),
    "form_next": Text("下一步", "Next"),
    "form_missing": Text("请选择就医地、备案类型和开始日期",
                     "Please choose a city, a reason and a date"),
    "city_label": Text("就医地", "City"),
    "reason_label": Text("备案类型", "Reason"),
    "start_label": Text("开始日期", "From"),
    "start_today": Text("今天 {date}", "Today {date}"),
    "start_tomorrow": Text("明天 {date}", "Tomorrow {date}"),
    "start_week": Text("一周后 {date}", "In a week {date}"),
    "start_month": Text("下月1日 {date}", "1st of next month {date}"),
    "confirm_title": Text("请确认备案信息", "Please check before filing"),
    "confirm_end_long": Text("长期有效（变更请到窗口办理）", "Until changed (at a counter)"),
    "confirm_end": Text("有效期至 {date}", "Valid until {date}"),
    "confirm_note": Text("备案提交后不可在自助终端撤销",
                         "A filing cannot be withdrawn at this kiosk"),
    "confirm_yes": Text("确认提交", "File it"),
    "confirm_no": Text("返回修改", "Change"),
    "sending": Text("正在提交备案…", "Filing…"),
    "filed": Text("备案成功", "Filed"),
    "filed_detail": Text("备案编号 {ref}\n{city} · {reason} · {start}起",
                     "Filing number {ref}\n{city} · {reason} · from {start}"),
    "already": Text("您已有生效的异地就医备案", "You already have a filing in force"),
    "refused": Text("未能备案：{why}", "Not filed: {why}"),
    "refused_other": Text("请到医保服务窗口办理", "please go to a medical insurance counter"),
    "not_done": Text("备案未送达，可以再次提交（不会重复备案）",
                 "The filing did not arrive. You may send it again (it is never filed twice)."),
    "unknown": Text("网络异常，无法确认是否已备案。可再次提交，不会重复备案",
                "The network failed: we cannot tell whether it was filed. Sending it "
                "again is safe: it is never filed twice."),
    "down": Text("医保系统暂时无法连接，备案未提交", "The medical insurance system cannot be "
             "reached. Nothing was filed."),
    "retry": Text("再次提交", "Send again"),
}


def say(key: str, lang: str, **values: object) -> str:
    text = TEXTS[key](lang)
    return text.format(**values) if values else text


