"""交管 when things go wrong, driven with touches against the real back end: the
department down, a search that times out, garbage while a payment is being
confirmed, and a payment whose session ended (as it does when the kiosk restarts)
before the phone paid: settled by the kiosk's upkeep, the receipt printed later."""

from __future__ import annotations

import httpx
import pytest

from backend.citizens import DEMO_CITIZENS
from kiosk.departments.traffic import DEPARTMENT as TRAFFIC
from kiosk.departments.traffic.flow import TrafficFlow
from kiosk.departments.traffic.state import TrafficState
from tests.robot.kivy_robot import screenshot, tap, wait_until
from tests.robot.steps import identify
from tests.robot.test_traffic import open_traffic, rows_of, tap_row_action, type_keys
from tests.robot.world import SHOTS, assert_nothing_personal

pytestmark = pytest.mark.robot
ZHAO = next(c for c in DEMO_CITIZENS if c.name == "赵样本")
TRAFFIC_DOWN = "交管服务暂时不可用，请稍后再试"


def fault(world, mode: str, seconds: float = 0) -> None:
    httpx.post(f"{world.backend_url}/api/v1/_demo/faults", timeout=5,
               json={"department": "traffic", "mode": mode, "seconds": seconds})


def violations_by_licence(world):
    app = world.app
    open_traffic(world)
    tap(app.screens.get_screen("traffic").ids.licence_button)
    wait_until(lambda: app.screens.current == "records" and rows_of(app), what="violations")


def start_paying(world):
    app = world.app
    unpaid = next(i for i, r in enumerate(rows_of(app)) if r["action"] == "缴款")
    tap_row_action(app, unpaid)
    pay = app.screens.get_screen("payment")
    wait_until(lambda: pay.state == "pending", what="the payment QR code")
    return pay, app.session.state(TrafficState).payment


def test_the_department_down_then_back(patient):
    world = patient
    app = world.app
    identify(world, ZHAO)
    fault(world, "down")
    tap(app.screens.get_screen("home").tile(TRAFFIC))
    traffic = app.screens.get_screen("traffic")
    wait_until(lambda: traffic.notice == TRAFFIC_DOWN, what="the error notice")
    assert not traffic.has_licence and traffic.ids.licence_button.disabled
    screenshot(SHOTS, "traffic-down")
    app.show("home")
    home = app.screens.get_screen("home")
    wait_until(lambda: not home.tile(TRAFFIC).enabled, what="the tile marked unavailable")
    assert home.tile(TRAFFIC).sub == "暂不可用（返回异常）"
    fault(world, "none")
    wait_until(lambda: home.tile(TRAFFIC).enabled, what="the prober bringing it back")
    assert open_traffic(world).points == "9"


def test_a_search_that_times_out(patient):
    world = patient
    app = world.app
    identify(world, ZHAO)
    open_traffic(world)
    tap(app.screens.get_screen("traffic").ids.plate_button)
    entry = app.screens.get_screen("plate_entry")
    type_keys(entry, "粤B5K2M8")
    tap(entry.ids.vin_cells)
    type_keys(entry, "207731")
    fault(world, "slow", 6.5)  # longer than the kiosk's 5 s timeout
    tap(entry.ids.search_button)
    records = app.screens.get_screen("records")
    wait_until(lambda: records.notice == TRAFFIC_DOWN, timeout=25, what="the timeout notice")
    assert rows_of(app) == []
    screenshot(SHOTS, "traffic-search-timeout")
    fault(world, "none")
    wait_until(lambda: app.breakers.is_up("traffic"), what="the department back")
    tap(records.ids.back_button)
    tap(entry.ids.search_button)  # the same plate, still typed in
    wait_until(lambda: len(rows_of(app)) == 5, what="the violations after the fault")
    assert "待处理" in rows_of(app)[0]["detail"] or any(
        "待处理" in r["detail"] for r in rows_of(app))
    app.controller.cancel()
    wait_until(lambda: app.screens.current in ("ended", "attract"), what="session ended")
    assert_nothing_personal(app, ZHAO, extra=("粤B5K2M8", "粤B·5K2M8", "207731"))


def test_garbage_while_confirming_a_payment_then_paid(patient):
    world = patient
    app = world.app
    identify(world, ZHAO)
    violations_by_licence(world)
    pay, payment = start_paying(world)
    fault(world, "garbage")
    wait_until(lambda: pay.message.startswith("正在确认支付结果"), timeout=20,
               what="the kiosk saying it keeps checking")
    assert pay.qr is not None  # the code stays up: the citizen may be paying right now
    screenshot(SHOTS, "traffic-pay-checking")
    httpx.post(f"{world.backend_url}/api/v1/_demo/pay/{payment.order.order_id}", timeout=5)
    fault(world, "none")
    wait_until(lambda: app.screens.current == "printing", timeout=30, what="the receipt")
    wait_until(lambda: app.controller.print_state == "done", timeout=30, what="printed")


def test_a_payment_whose_session_ended_is_settled_and_its_receipt_prints_later(patient):
    world = patient
    app, sims = world.app, world.sims
    identify(world, ZHAO)
    violations_by_licence(world)
    _pay, payment = start_paying(world)
    store = app.controller.flow(TrafficFlow).payment.store
    app.controller.cancel()  # the citizen is gone before paying (as after a restart)
    wait_until(lambda: app.screens.current in ("ended", "attract"), what="session ended")
    assert_nothing_personal(app, ZHAO)
    assert store.get(payment.key).state == "pending"
    httpx.post(f"{world.backend_url}/api/v1/_demo/pay/{payment.order.order_id}", timeout=5)

    app.upkeep(0)  # the app's upkeep, every minute (also run at start-up)
    wait_until(lambda: store.get(payment.key).state == "reported", what="payment settled")
    assert app.journal.stats()["traffic.fine_payment"]["count"] >= 1
    outcomes = app.journal._run(
        "SELECT outcome FROM transactions WHERE service = 'traffic.fine_payment'").fetchall()
    assert ("paid_unattended",) in outcomes

    wait_until(lambda: app.screens.current == "attract", what="attract")
    sims.idcard.remove()
    identify(world, ZHAO)  # the citizen comes back for the receipt
    violations_by_licence(world)
    index = next(i for i, r in enumerate(rows_of(app)) if r["action"] == "回执")
    jobs_before = len(sims.printer.jobs)
    tap_row_action(app, index)
    wait_until(lambda: app.screens.current == "printing", what="printing the receipt")
    sims.printer.wait_for_jobs(jobs_before + 1, timeout=30)
    wait_until(lambda: app.controller.print_state == "done", what="receipt printed")
