"""A kiosk restart in the middle of a fine payment, at the controller level.

The app's pieces without Kivy (controller, session, journal, payment store, traffic
flow) against the real back end process. A "crash" closes the journal and the
store and drops every object; a "restart" builds new ones over the same files, as
``python -m ui`` does. The citizen's phone is the demo back end's pay endpoint.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import zxingcpp

from backend.settings import DEMO_APP_KEYS
from drivers.printer.protocol import EscPosParser, render_pages
from kiosk.config import load_config
from kiosk.controller import KioskController
from kiosk.departments.traffic.fine_payment import idempotency_key
from kiosk.departments.traffic.flow import TrafficFlow
from kiosk.departments.traffic.payments import PaymentStore
from kiosk.departments.traffic.service import TrafficService
from kiosk.departments.traffic.state import TrafficState
from kiosk.journal import Journal
from kiosk.printing.printable import PrintJob
from kiosk.records import RecordsState
from kiosk.services.gateway import BackendClient
from kiosk.services.signing import SigningAuth
from kiosk.session import Citizen, Session
from tests.helpers.backend_proc import start_backend, stop
from tests.helpers.workers import InlineWorker

REPO = Path(__file__).resolve().parents[4]
ZHAO = Citizen("赵样本", "440306197902041230")  # four unpaid fines on his licence
pytestmark = pytest.mark.timeout(120)


def printed_qr(item) -> str:
    """The QR code on what was printed: a raster image, or ESC/POS in the printer's font."""
    if isinstance(item, PrintJob):
        page = item.image or render_pages(EscPosParser().feed(item.body))[0]
    else:
        page = item
    return zxingcpp.read_barcodes(page.convert("L"))[0].text


class Devices:
    def __init__(self) -> None:
        self.statuses: dict = {}
        self.printed: list = []

    def print_image(self, image) -> None:
        self.printed.append(image)

    def print_job(self, job) -> None:  # printers with their own font get a PrintJob
        self.printed.append(job)

    def rearm_card(self) -> None:
        pass


class Nav:
    def show(self, screen: str) -> None:
        self.current = screen

    def refresh(self) -> None:
        pass


class Kiosk:
    """One run of the kiosk over ``data_dir``."""

    def __init__(self, data_dir: Path, url: str) -> None:
        base = load_config(REPO / "config" / "kiosk.toml")
        self.config = base.model_copy(update={
            "paths": base.paths.model_copy(update={"data_dir": data_dir})})
        self.session = Session(self.config.session)
        self.journal = Journal(data_dir / "journal.sqlite")
        self.store = PaymentStore(data_dir / "payments.sqlite")
        self.devices = Devices()
        self.client = BackendClient(url, auth=SigningAuth(*next(iter(DEMO_APP_KEYS.items()))))
        self.ctl = KioskController(self.config, self.session, InlineWorker(), None, self.devices,
                                   self.journal)
        self.ctl.nav = Nav()
        self.flow = TrafficFlow(self.ctl, TrafficService(self.client), self.store)

    def identify(self, citizen: Citizen) -> None:
        self.session.start()
        self.session.identified(citizen)

    def violations(self):
        self.flow.by_licence()
        return self.session.state(RecordsState).answer

    def crash(self) -> None:
        self.journal.close()
        self.store.close()
        self.client.close()

    def outcomes(self, service: str) -> list[str]:
        rows = self.journal._run("SELECT outcome FROM transactions WHERE service = ?", (service,))
        return [r[0] for r in rows.fetchall()]


@pytest.fixture(scope="module")
def backend(tmp_path_factory) -> Iterator[str]:
    url, proc = start_backend(tmp_path_factory.mktemp("backend"))
    try:
        yield url
    finally:
        stop(proc)


def pay_by_phone(url: str, order_id: str) -> dict:
    r = httpx.post(f"{url}/api/v1/_demo/pay/{order_id}", timeout=5)
    r.raise_for_status()
    return r.json()


def unpaid_index(answer) -> int:
    """The first fine still unpaid (the tests share one back end: each pays one)."""
    return next(i for i, v in enumerate(answer.violations) if v.payable)


def test_paid_while_the_kiosk_was_down_is_reported_and_the_receipt_prints_later(
    backend: str, tmp_path: Path
) -> None:
    first = Kiosk(tmp_path, backend)
    first.identify(ZHAO)
    answer = first.violations()
    index = unpaid_index(answer)
    first.flow.act(answer, index)  # pay: the order is made and shown
    payment = first.session.state(TrafficState).payment
    assert first.ctl.nav.current == "payment"
    stored = first.store.get(payment.key)
    assert (stored.order_id, stored.state) == (payment.order.order_id, "pending")
    first.crash()  # power cut while the QR code is on screen

    assert pay_by_phone(backend, payment.order.order_id)["charged"] is True

    second = Kiosk(tmp_path, backend)  # start-up
    assert second.flow.payment.reconcile() == {"reported": 1}
    assert second.store.get(payment.key).state == "reported"
    assert second.outcomes("traffic.fine_payment") == ["paid_unattended"]
    assert second.flow.payment.reconcile() == {}  # settled once, not again

    second.identify(ZHAO)  # the citizen comes back
    again = second.violations()
    paid = again.violations[[v.ref for v in again.violations].index(
        answer.violations[index].ref)]
    assert paid.status == "paid" and paid.paid_order == payment.order.order_id
    second.flow.act(again, list(again.violations).index(paid))  # 回执
    assert len(second.devices.printed) == 1
    code = printed_qr(second.devices.printed[0])
    assert "code=JF" in code
    second.crash()


def test_a_restart_before_the_order_id_was_stored_finds_the_order_by_its_key(
    backend: str, tmp_path: Path
) -> None:
    first = Kiosk(tmp_path, backend)
    first.identify(ZHAO)
    answer = first.violations()
    fine = answer.violations[unpaid_index(answer)]
    key = idempotency_key(first.session.ref, fine.ref)
    first.store.request(key, fine.fine_fen)
    order = TrafficService(first.client).create_order(fine.ref, key)  # the answer is lost
    first.crash()

    second = Kiosk(tmp_path, backend)
    assert second.flow.payment.reconcile() == {}  # found, still pending: asked again later
    assert (second.store.get(key).order_id, second.store.get(key).state) == (
        order.order_id, "pending")
    pay_by_phone(backend, order.order_id)
    assert second.flow.payment.reconcile() == {"reported": 1}
    second.crash()


def test_a_request_that_never_reached_the_back_end_is_abandoned(
    backend: str, tmp_path: Path
) -> None:
    first = Kiosk(tmp_path, backend)
    first.store.request("k" * 32, 20000)
    first.crash()
    second = Kiosk(tmp_path, backend)
    assert second.flow.payment.reconcile() == {"abandoned": 1}
    second.crash()


def test_the_citizen_still_there_resumes_the_same_order_and_pays_once(
    backend: str, tmp_path: Path
) -> None:
    first = Kiosk(tmp_path, backend)
    first.identify(ZHAO)
    answer = first.violations()
    index = unpaid_index(answer)
    first.flow.act(answer, index)
    order_id = first.session.state(TrafficState).payment.order.order_id
    first.crash()

    second = Kiosk(tmp_path, backend)
    assert second.flow.payment.reconcile() == {}  # pending: nothing to report yet
    second.identify(ZHAO)  # a new session: a new idempotency key
    second.flow.act(second.violations(), index)
    resumed = second.session.state(TrafficState).payment
    assert resumed.order.order_id == order_id  # the back end's one payable order
    assert pay_by_phone(backend, order_id)["charged"] is True
    second.flow.payment.poll()  # the payment screen's next poll
    assert second.session.state(TrafficState).payment.order.status == "paid"
    assert len(second.devices.printed) == 1  # the receipt, right away
    assert second.outcomes("traffic.fine_payment") == ["ok"]
    assert pay_by_phone(backend, order_id)["charged"] is False
    # The first run's record of the same order: settled, not reported as a second payment.
    assert second.flow.payment.reconcile() == {"resumed": 1}
    assert second.outcomes("traffic.fine_payment") == ["ok"]
    second.crash()


def test_paying_keeps_the_session_alive_for_a_while_only(backend: str, tmp_path: Path) -> None:
    from kiosk.departments.traffic import fine_payment

    kiosk = Kiosk(tmp_path, backend)
    now = [1000.0]
    kiosk.session._clock = lambda: now[0]
    kiosk.flow.payment._clock = lambda: now[0]
    kiosk.identify(ZHAO)
    kiosk.flow.act(kiosk.violations(), unpaid_index(kiosk.violations()))
    assert kiosk.session.state(TrafficState).payment.order.status == "pending"
    now[0] += 40  # the citizen is busy with the phone: the poll restarts the idle clock
    kiosk.flow.payment.poll()
    assert kiosk.session.remaining == kiosk.config.session.idle_timeout_s
    now[0] += fine_payment.PATIENCE_S  # gone for good: the idle timeout takes over
    kiosk.flow.payment.poll()
    assert kiosk.session.remaining < kiosk.config.session.idle_timeout_s
    kiosk.flow.payment.cancel()
    kiosk.crash()
