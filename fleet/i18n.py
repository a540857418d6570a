"""The console's words in Chinese and English. Chinese is the default."""

from __future__ import annotations

from kiosk.departments import functions

TEXT: dict[str, tuple[str, str]] = {
    "title": ("自助终端运维监控平台", "Self-Service Terminal Operations Console"),
    "board": ("终端看板", "Board"),
    "alarms": ("告警", "Alarms"),
    "supervision": ("电子监察", "Supervision"),
    "quarantine": ("隔离消息", "Quarantine"),
    "quarantine_n": ("已隔离消息 {n} 条", "{n} quarantined messages"),
    "q.none": ("没有被隔离的消息", "No quarantined messages"),
    "q.note": ("终端发来的、不符合接口约定而未入库的消息（每条保留前 4 KiB，最多 10000 条）。"
               "以下均为终端原文，按文本显示，不可见字符以转义形式显示。",
               "Messages from terminals that broke the contract and were not stored (the "
               "first 4 KiB of each kept, at most 10 000). Everything below is what the "
               "terminal sent, shown as text; invisible characters are shown escaped."),
    "q.shown": ("显示最新 {k} 条，共 {n} 条", "Newest {k} of {n}"),
    "q.received": ("接收时间", "Received"),
    "q.topic": ("主题", "Topic"),
    "q.reason": ("原因", "Reason"),
    "q.size": ("大小（字节）", "Size (bytes)"),
    "q.preview": ("内容（前 {b} 字节）", "Payload (first {b} bytes)"),
    "login": ("登录", "Log in"),
    "logout": ("退出登录", "Log out"),
    "user": ("用户名", "User"),
    "password": ("密码", "Password"),
    "bad_login": ("用户名或密码错误", "Wrong user or password"),
    "locked_login": ("登录失败次数过多，请稍后再试", "Too many failed logins: try again later"),
    "role.viewer": ("查看员", "Viewer"),
    "role.operator": ("运维员", "Operator"),
    "site": ("网点", "Site"),
    "all_sites": ("全部网点", "All sites"),
    "state": ("状态", "State"),
    "all_states": ("全部状态", "All states"),
    "light.green": ("正常", "OK"),
    "light.yellow": ("需处理", "Attention"),
    "light.red": ("故障", "Fault"),
    "light.grey": ("离线", "Offline"),
    "terminals": ("台终端", "terminals"),
    "offline_after": ("离线判定", "Offline after"),
    "minutes": ("分钟", "min"),
    "oos": ("暂停服务", "Out of service"),
    "paper": ("凭条纸", "Receipt paper"),
    "paper.ok": ("充足", "OK"),
    "paper.low": ("将尽", "Low"),
    "paper.out": ("缺纸", "Out"),
    "paper.unknown": ("未知", "Unknown"),
    "tile.paper_low": ("纸将尽", "Paper low"),
    "tile.paper_out": ("缺纸", "Paper out"),
    "device": ("设备", "Device"),
    "device.idcard": ("身份证阅读器", "ID card reader"),
    "device.printer": ("凭条打印机", "Receipt printer"),
    "device.sscard": ("社保卡读卡器", "Social security card reader"),
    "action": ("处置", "Action"),
    "action.none": ("—", "—"),
    "action.clear": ("现场处理", "Clear on site"),
    "action.maintenance": ("派工维修", "Send an engineer"),
    "detail": ("说明", "Detail"),
    "devices": ("设备状态", "Devices"),
    "system": ("系统", "System"),
    "cpu": ("CPU", "CPU"),
    "mem": ("内存", "Memory"),
    "disk": ("磁盘", "Disk"),
    "temp": ("温度", "Temperature"),
    "uptime": ("运行时长", "Uptime"),
    "version": ("版本", "Version"),
    "config": ("配置", "Config"),
    "screen": ("当前界面", "Screen"),
    "in_session": ("正在办理", "Citizen in session"),
    "last_seen": ("最后上报", "Last report"),
    "recent_alarms": ("最近告警", "Recent alarms"),
    "txn_chart": ("近14天办件量", "Transactions, last 14 days"),
    "commands": ("远程操作", "Remote commands"),
    "history": ("操作记录", "Command history"),
    "screenshot": ("最近截屏", "Last screenshot"),
    "no_screenshot": ("暂无截屏", "No screenshot yet"),
    "cmd.reboot": ("重启", "Reboot"),
    "cmd.reboot_force": ("强制重启", "Force reboot"),
    "cmd.out_of_service": ("暂停服务", "Out of service"),
    "cmd.in_service": ("恢复服务", "Back in service"),
    "cmd.test_print": ("测试打印", "Test print"),
    "cmd.rebirth": ("重新上报", "Rebirth"),
    "cmd.reload_config": ("重载配置", "Reload config"),
    "cmd.screenshot": ("截屏", "Screenshot"),
    "cmd.locate": ("定位", "Locate"),
    "confirm": ("确认", "Confirm"),
    "cancel": ("取消", "Cancel"),
    "confirm_q": ("确认对终端 {t} 执行「{c}」？", "Send \u201c{c}\u201d to terminal {t}?"),
    "viewer_note": ("查看员不能发送远程操作", "Viewers cannot send commands"),
    "alarm": ("告警", "Alarm"),
    "severity": ("级别", "Severity"),
    "raised": ("发生时间", "Raised"),
    "cleared": ("恢复时间", "Cleared"),
    "ack": ("确认", "Acknowledge"),
    "acked_by": ("确认人", "Acknowledged by"),
    "active": ("未恢复", "Active"),
    "alarm_history": ("全部告警", "All alarms"),
    "no_alarms": ("没有告警", "No alarms"),
    "terminal": ("终端", "Terminal"),
    "sent": ("已发送", "sent"),
    "result": ("结果", "Result"),
    "by": ("操作人", "By"),
    "time": ("时间", "Time"),
    "service": ("业务", "Service"),
    "day": ("日期", "Day"),
    "count": ("办件量", "Transactions"),
    "avg_duration": ("平均办理用时", "Avg. service time"),
    "visits": ("来访人次", "Visits"),
    "timed_out": ("超时离开", "Timed out"),
    "avg_stay": ("平均停留", "Avg. stay"),
    "avg_rating": ("平均评分", "Avg. rating"),
    "satisfied": ("满意率", "Satisfied"),
    "bad_ratings": ("差评数", "Poor ratings"),
    "by_service": ("按业务", "Per service"),
    "by_site": ("按网点", "Per site"),
    "by_day": ("按日", "Per day"),
    "last_days": ("最近 {n} 天", "Last {n} days"),
    "service.ss_insurance": ("社保参保查询", "Social insurance"),
    "service.none": ("未选择业务", "No service chosen"),
    "failed": ("失败数", "Failed"),
    "live": ("实时", "Live"),
    "reason.lost": ("失联", "lost"),
    "reason.shutdown": ("正常关机", "shut down"),
    "device.queue": ("排队叫号机", "Queue device"),
    "device.unknown": ("设备 {name}", "Device {name}"),
    "alarm.disk.full": ("磁盘将满", "Disk almost full"),
    "alarm.mem.high": ("内存不足", "Memory short"),
    "alarm.temp.high": ("温度过高", "Temperature high"),
    "alarm.staff.call": ("呼叫工作人员", "Staff called"),
    "state.starting": ("启动中", "starting"),
    "state.online": ("正常", "online"),
    "state.offline": ("离线", "offline"),
    "state.no_device": ("未连接", "no device"),
    "state.hardware_error": ("硬件故障", "hardware error"),
    "state.user_error": ("需现场处理", "needs staff"),
    "state.busy": ("忙", "busy"),
    "result.sent": ("已发送，等待应答", "sent, waiting"),
    "result.done": ("已完成", "done"),
    "result.refused": ("被拒绝", "refused"),
    "result.error": ("执行出错", "error"),
    "result.no_answer": ("无应答", "no answer"),
    "late_answer": ("超时后应答", "answered late"),
    "cmd_deadline": ("{s} 秒内无应答即判定为无应答", "No answer within {s} s counts as no answer"),
    "terminal_offline": ("终端离线，远程操作无法送达",
                         "The terminal is offline: commands cannot reach it"),
    "refused_offline": ("终端 {t} 离线（{since}起无上报），命令未发送",
                        "Terminal {t} is offline (silent since {since}): command not sent"),
    # The health agent (agent/): the UI unit as systemd on the terminal sees it.
    "agent": ("健康代理", "Health agent"),
    "agent.online": ("在线", "online"),
    "agent.offline": ("离线", "offline"),
    "agent.none": ("未上报", "never reported"),
    "ui.running": ("界面运行中", "UI running"),
    "ui.starting": ("界面启动中", "UI starting"),
    "ui.restarting": ("界面重启中", "UI restarting"),
    "ui.failed": ("界面故障", "UI failed"),
    "ui.dead": ("界面已停止", "UI stopped"),
    "ui_restarts": ("自动重启次数", "Automatic restarts"),
    "ui_result": ("结果", "Result"),
    "ui_log": ("界面日志（最近几行，已脱敏）", "UI journal (last lines, redacted)"),
    "no_ui_log": ("暂无日志", "No journal lines yet"),
    "cmd.agent:restart_ui": ("重启界面", "Restart UI"),
    "cmd.agent:collect_logs": ("收集日志", "Collect logs"),
    "cmd.agent:reboot": ("代理重启终端", "Reboot (agent)"),
    "refused_agent_offline": ("终端 {t} 的健康代理未连接，命令未发送",
                              "The health agent of {t} is not connected: command not sent"),
}

# The services as the terminals' journals name them: from the departments' declarations
# (kiosk/departments/, plain data), so a new department's statistics are named at once.
TEXT.update({f"service.{f.service}": (f.name.zh, f.name.en) for f in functions()})


def alarm_name(key: str, lang: str) -> str:
    """Any alarm code, readable: known ones translated, a new device by its name, the
    rest as the code itself (a terminal newer than this console still renders)."""
    if key.startswith("device."):
        name = key.removeprefix("device.")
        known_name = f"device.{name}"
        return translate(known_name if known_name in TEXT else "device.unknown", lang, name=name)
    return translate(f"alarm.{key}", lang) if f"alarm.{key}" in TEXT else key


def detail_in(item: dict, lang: str) -> str:
    """A device's or alarm's detail in the viewer's language; English when the terminal
    sent no Chinese (contract v1.0) or the viewer reads English."""
    if lang == "zh" and item.get("detail_zh"):
        return str(item["detail_zh"])
    return str(item.get("detail") or "")


def label(prefix: str, value: str, lang: str) -> str:
    """``prefix.value`` translated, else the value as it came (a state, service, result)."""
    key = f"{prefix}.{value}"
    return translate(key, lang) if key in TEXT else value


def translate(key: str, lang: str, **values: object) -> str:
    pair = TEXT.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text
