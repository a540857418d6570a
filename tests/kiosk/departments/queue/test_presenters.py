"""What the 排队取号 screen shows, from the queue state, in both languages."""

from __future__ import annotations

from drivers.events import Detail
from kiosk.departments.queue.presenters import present_queue
from kiosk.departments.queue.service import BusinessType
from kiosk.departments.queue.state import QueueState, TicketOutcome
from kiosk.i18n import Catalog
from kiosk.printing.ticket import QueueTicket

CATALOG = Catalog.load()
PENSIONS = BusinessType(code=3, department_zh="社保", department_en="Social security",
                        name_zh="养老保险", name_en="Pensions", windows="3-5", waiting=4)
TICKET = QueueTicket("C013", "养老保险", "社保", "3-5", 4, "2026-11-22 20:15", "site")


def t_for(lang: str):
    return lambda key, _lang=None, **values: CATALOG.text(key, lang, **values)


def test_choosing_taking_issued_and_failed() -> None:
    choosing = present_queue(QueueState(types=(PENSIONS,)), "", None, t_for("en"), "en")
    assert choosing.state == "" and "Pensions" in choosing.types[0]
    dead = Detail("the queue device does not answer", "叫号机无应答")
    down = present_queue(QueueState(types=(PENSIONS,)), "", dead, t_for("zh"), "zh")
    assert "叫号机无应答" in down.notice
    taking = present_queue(QueueState(types=(PENSIONS,), taking=True), "", None,
                           t_for("zh"), "zh")
    assert taking.state == "taking" and not taking.trouble
    issued = present_queue(QueueState(outcome=TicketOutcome(TICKET, PENSIONS, printed=False)),
                           "", None, t_for("zh"), "zh")
    assert issued.state == "issued" and issued.number == "C013" and issued.trouble
    failed = present_queue(QueueState(outcome=TicketOutcome(None, PENSIONS, problem=dead)),
                           "", None, t_for("en"), "en")
    assert failed.state == "failed" and "does not answer" in failed.message and failed.trouble
