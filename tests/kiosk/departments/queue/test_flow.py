"""排队取号's logic with a scripted device and printer: a number that did not print is
still the citizen's; a device that refuses says why; one ticket per choice."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from drivers.device import DeviceState, DeviceStatus
from drivers.events import Detail
from drivers.queue.link import QueueError
from drivers.queue.protocol import Ticket
from kiosk.clock import LocalClock
from kiosk.config import load_config
from kiosk.controller import KioskController
from kiosk.departments.queue.flow import QueueFlow
from kiosk.departments.queue.service import BusinessType
from kiosk.departments.queue.state import QueueState
from kiosk.journal import Journal
from kiosk.session import Citizen, Session
from tests.helpers.workers import InlineWorker

REPO = Path(__file__).resolve().parents[4]
TRAFFIC = BusinessType(code=3, department_zh="公安交警", department_en="Traffic police",
                       name_zh="驾驶证业务", name_en="Driving licences", windows="6-8", waiting=11)
PAPER_OUT = QueueError("paper_out", Detail("ticket paper out", "取号纸已用完"))
TAKEN = datetime(2026, 11, 22, 12, 15, tzinfo=UTC).timestamp()  # 20:15 in Shenzhen


class FakeQueue:
    def __init__(self, answers: list) -> None:
        self.answers, self.asked = answers, []

    def take_ticket(self, business: int) -> Ticket:
        self.asked.append(business)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class FakeHub:
    def __init__(self, queue: FakeQueue, printer_ok: bool = True) -> None:
        self.queue, self.printer_ok, self.printed = queue, printer_ok, []
        self.statuses = {"queue": DeviceStatus("queue", DeviceState.ONLINE)}

    def print_job(self, job) -> None:
        if not self.printer_ok:
            raise OSError("paper out")
        self.printed.append(job)


def flow_with(hub: FakeHub, tmp_path: Path, zone: str = "Asia/Shanghai") -> QueueFlow:
    config = load_config(REPO / "config" / "kiosk.toml")
    config = config.model_copy(
        update={"terminal": config.terminal.model_copy(update={"time_zone": zone})})
    session = Session(config.session)
    ctl = KioskController(config, session, InlineWorker(), None, hub,
                          Journal(tmp_path / "journal.sqlite"))
    session.start()
    session.identified(Citizen("张示例", "440304198803121237"))
    return QueueFlow(ctl, None, clock=LocalClock(zone, now=lambda: TAKEN))


def test_a_ticket_printed(tmp_path):
    hub = FakeHub(FakeQueue([Ticket("C012", 11)]))
    flow = flow_with(hub, tmp_path)
    flow.take(TRAFFIC)
    flow.take(TRAFFIC)  # a second tap: still one ticket
    outcome = flow.ctl.session.state(QueueState).outcome
    assert hub.queue.asked == [3] and len(hub.printed) == 1
    assert outcome.printed and outcome.ticket.number == "C012" and outcome.ticket.waiting == 11
    assert outcome.ticket.taken_at == "2026-11-22 20:15"
    assert flow.ctl.journal.stats()["queue.ticket"]["count"] == 1
    flow.ctl.cancel()  # the citizen leaves with the ticket: the visit printed something
    assert visits(flow) == [("queue.ticket", "cancelled", 1)]


def test_a_number_that_did_not_print_is_kept(tmp_path):
    flow = flow_with(FakeHub(FakeQueue([Ticket("C013", 12)]), printer_ok=False), tmp_path)
    flow.take(TRAFFIC)
    outcome = flow.ctl.session.state(QueueState).outcome
    assert outcome.ticket.number == "C013" and not outcome.printed
    flow.ctl.cancel()
    assert visits(flow) == [("queue.ticket", "cancelled", 0)]


def visits(flow) -> list[tuple]:
    return flow.ctl.journal._run("SELECT service, outcome, printed FROM visits").fetchall()


def test_a_refusal_says_why_and_the_citizen_may_choose_again(tmp_path):
    hub = FakeHub(FakeQueue([PAPER_OUT, Ticket("C013", 12)]))
    flow = flow_with(hub, tmp_path)
    flow.take(TRAFFIC)
    outcome = flow.ctl.session.state(QueueState).outcome
    assert outcome.ticket is None and outcome.problem.zh == "取号纸已用完"
    assert flow.ctl.journal.stats()["queue.ticket"]["failed"] == 1
    flow.again()
    flow.take(TRAFFIC)
    assert flow.ctl.session.state(QueueState).outcome.ticket.number == "C013"


def test_the_device_status_decides_the_tile(tmp_path):
    hub = FakeHub(FakeQueue([]))
    flow = flow_with(hub, tmp_path)
    assert flow.device_problem() is None
    hub.statuses["queue"] = DeviceStatus("queue", DeviceState.OFFLINE, "no answer",
                                         detail_zh="设备无应答")
    assert flow.device_problem() == Detail("no answer", "设备无应答")
    del hub.statuses["queue"]
    assert flow.device_problem().zh == "叫号设备未连接"


def test_an_english_session_prints_the_ticket_with_english(tmp_path):
    """The language at the tap reaches the printer: English under the Chinese, taller."""
    hub = FakeHub(FakeQueue([Ticket("C012", 11), Ticket("C012", 11)]))
    for lang in ("zh", "en"):
        flow = flow_with(hub, tmp_path / lang)
        flow.take(TRAFFIC, lang)
        ticket = flow.ctl.session.state(QueueState).outcome.ticket
        assert (ticket.department_en, ticket.business_en) == ("Traffic police", "Driving licences")
    chinese, english = hub.printed  # the demo's printer has its own font: text, not raster
    assert chinese.kind == english.kind == "queue-ticket" and chinese.key is None
    assert b"Queue ticket" in english.body and b"Queue ticket" not in chinese.body
    assert len(english.body) > len(chinese.body)


def test_the_ticket_keeps_the_terminals_time_zone(tmp_path):
    """One clock: the ticket's time is the hall's (terminal.time_zone), as the attract
    screen shows it, whatever zone the machine keeps."""
    for zone in ("Asia/Shanghai", "Asia/Urumqi"):
        ctl = flow_with(FakeHub(FakeQueue([])), tmp_path / zone, zone=zone).ctl
        assert QueueFlow(ctl, None).clock.zone.key == zone  # the config's, not a fixed +08
    hub = FakeHub(FakeQueue([Ticket("C012", 11)]))
    flow = flow_with(hub, tmp_path / "taken", zone="Asia/Urumqi")
    flow.take(TRAFFIC)
    assert flow.ctl.session.state(QueueState).outcome.ticket.taken_at == "2026-11-22 18:15"
    assert b"2026-11-22 18:15" in hub.printed[0].body
