"""交管 end to end with touches against the real back end: the licence, a plate typed on
the province picker and keypad, the violations, and a fine paid by "the citizen's
phone" (the demo back end's pay endpoint) from the QR code read off the screen, the
receipt printed and verified; a cancelled payment; a plate that is not valid."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import zxingcpp
from PIL import Image

from backend.citizens import DEMO_CITIZENS
from drivers.printer.protocol import EscPosParser, render_pages
from kiosk.departments.traffic import DEPARTMENT as TRAFFIC
from kiosk.departments.traffic.flow import TrafficFlow
from kiosk.departments.traffic.state import TrafficState
from tests.robot.kivy_robot import screenshot, tap, wait_until
from tests.robot.steps import finish_with_rating, identify
from tests.robot.world import SHOTS, assert_nothing_personal

pytestmark = pytest.mark.robot
DRIVER = next(c for c in DEMO_CITIZENS if c.name == "张示例")
PLATE, VIN6 = "粤BD12345", "312846"
PLATE_SECRETS = (PLATE, "粤B·D12345", "BD12345", "LGXCE4CB5N0312846")


def open_traffic(world):
    app = world.app
    tap(app.screens.get_screen("home").tile(TRAFFIC))
    screen = app.screens.get_screen("traffic")
    wait_until(lambda: app.screens.current == "traffic" and (screen.has_licence or screen.notice
               not in ("", "正在查询，请稍候…")), what="the licence answer")
    return screen


def type_keys(screen, keys: str) -> None:
    for key in keys:
        tap(screen.ids.keypad.button(key))


def rows_of(app) -> list[dict]:
    return app.screens.get_screen("records").ids.rv.data


def tap_row_action(app, index: int) -> None:
    from screens.base import KioskButton

    rv = app.screens.get_screen("records").ids.rv
    wait_until(lambda: any(int(v.index) == index for v in rv.view_adapter.views.values()),
               what=f"row {index} on screen")
    view = next(v for v in rv.view_adapter.views.values() if int(v.index) == index)
    tap(next(w for w in view.walk(restrict=True) if isinstance(w, KioskButton)))


def qr_on_screen(name: str) -> str:
    """Decode the QR code from a screenshot, as the citizen's phone would."""
    path: Path = screenshot(SHOTS, name)
    codes = zxingcpp.read_barcodes(Image.open(path).convert("L"))
    assert len(codes) == 1, f"one QR code expected on {name}"
    return codes[0].text


def search_plate(world, plate: str = PLATE, vin: str = VIN6):
    app = world.app
    tap(app.screens.get_screen("traffic").ids.plate_button)
    entry = app.screens.get_screen("plate_entry")
    wait_until(lambda: app.screens.current == "plate_entry", what="plate entry")
    assert entry.board == "province" and len(entry.ids.keypad.keys) == 31
    screenshot(SHOTS, "traffic-plate-provinces")
    type_keys(entry, plate)
    assert entry.field == ("vin" if len(plate) == 8 else "plate")
    if entry.field == "plate":
        tap(entry.ids.vin_cells)
    type_keys(entry, vin)
    return entry


def test_violations_by_plate_and_a_fine_paid_by_phone(patient):
    world = patient
    app, sims = world.app, world.sims
    identify(world, DRIVER)
    traffic = open_traffic(world)
    assert traffic.points == "3" and traffic.status == "有效" and traffic.licence_class == "C1"
    screenshot(SHOTS, "traffic-licence")

    entry = search_plate(world)
    assert entry.plate == PLATE and entry.vin == VIN6 and entry.ready
    screenshot(SHOTS, "traffic-plate-entry")
    tap(entry.ids.search_button)
    wait_until(lambda: app.screens.current == "records" and len(rows_of(app)) == 3,
               what="three violations")
    records = app.screens.get_screen("records")
    assert "未缴罚款 2 笔，共 400.00 元" in records.summary
    assert [r["action"] for r in rows_of(app)] == ["缴款", "缴款", ""]
    assert all(PLATE not in r["detail"] and "粤B·D***45" in r["detail"] for r in rows_of(app))
    screenshot(SHOTS, "traffic-violations")

    tap_row_action(app, 0)
    pay = app.screens.get_screen("payment")
    wait_until(lambda: app.screens.current == "payment" and pay.state == "pending",
               what="the payment QR code")
    payment = app.session.state(TrafficState).payment
    store = app.controller.flow(TrafficFlow).payment.store
    assert store.get(payment.key).order_id == payment.order.order_id  # stored before shown
    url = qr_on_screen("traffic-pay-qr")
    assert url == payment.order.pay_url
    order_id = url.rsplit("=", 1)[-1]

    jobs_before = len(sims.printer.jobs)
    phone = httpx.post(f"{world.backend_url}/api/v1/_demo/pay/{order_id}", timeout=5).json()
    assert phone["charged"] is True
    wait_until(lambda: app.screens.current == "printing", what="the receipt printing")
    job = sims.printer.wait_for_jobs(jobs_before + 1, timeout=30)[-1]
    wait_until(lambda: app.controller.print_state == "done", what="receipt printed")
    page = render_pages(EscPosParser().feed(bytes(job.data)))[0]
    page.save(SHOTS / "printed-fine-receipt.png")
    code = zxingcpp.read_barcodes(page.convert("L"))[0].text.rsplit("=", 1)[-1]
    check = httpx.get(f"{world.backend_url}/api/v1/certificates/{code}", timeout=5).json()
    assert check["kind"] == "traffic.fine_receipt"
    assert store.get(payment.key).state == "receipt"
    again = httpx.post(f"{world.backend_url}/api/v1/_demo/pay/{order_id}", timeout=5).json()
    assert again["charged"] is False  # the phone paying again charges nothing
    finish_with_rating(world, "printing")
    assert_nothing_personal(app, DRIVER, extra=PLATE_SECRETS)
    assert app.screens.get_screen("payment").qr is None


def test_a_cancelled_payment_charges_nothing(patient):
    world = patient
    app = world.app
    identify(world, DRIVER)
    open_traffic(world)
    tap(app.screens.get_screen("traffic").ids.licence_button)  # by driving licence
    wait_until(lambda: app.screens.current == "records" and rows_of(app), what="violations")
    unpaid = [i for i, r in enumerate(rows_of(app)) if r["action"] == "缴款"]
    assert unpaid
    tap_row_action(app, unpaid[-1])
    pay = app.screens.get_screen("payment")
    wait_until(lambda: pay.state == "pending", what="the payment QR code")
    order_id = app.session.state(TrafficState).payment.order.order_id
    tap(pay.ids.cancel_button)
    wait_until(lambda: pay.state == "cancelled", what="cancelled")
    assert pay.message == "已取消支付，未扣款" and pay.qr is None
    screenshot(SHOTS, "traffic-pay-cancelled")
    late = httpx.post(f"{world.backend_url}/api/v1/_demo/pay/{order_id}", timeout=5)
    assert late.status_code == 409  # a cancelled order cannot be paid any more
    tap(pay.ids.cancel_button)  # now "back to the violations"
    wait_until(lambda: app.screens.current == "records" and rows_of(app), what="the list again")
    finish_with_rating(world, "records")
    assert_nothing_personal(app, DRIVER)


def test_a_plate_that_cannot_exist_is_refused_before_asking(patient):
    world = patient
    app = world.app
    identify(world, DRIVER)
    open_traffic(world)
    entry = search_plate(world, plate="粤BX12345", vin=VIN6)
    tap(entry.ids.search_button)
    wait_until(lambda: entry.problem == "新能源号牌格式不正确，请核对", what="the problem")
    assert app.screens.current == "plate_entry"
    screenshot(SHOTS, "traffic-plate-invalid")
    for _ in range(6 + 6):  # the VIN, then the plate back to its first two characters
        tap(entry.ids.delete_button)
    assert entry.vin == "" and entry.plate == "粤B" and entry.field == "plate"
    type_keys(entry, "D12345")
    tap(entry.ids.vin_cells)
    type_keys(entry, "000000")  # a plate that exists with the wrong VIN
    tap(entry.ids.search_button)
    records = app.screens.get_screen("records")
    wait_until(lambda: records.notice.startswith("未查询到该车辆"), what="no such vehicle")
    tap(records.ids.back_button)
    wait_until(lambda: app.screens.current == "plate_entry", what="back to the entry")
    assert entry.plate == PLATE  # kept for a correction, until the session ends
    app.controller.cancel()
    wait_until(lambda: app.screens.current in ("ended", "attract"), what="session ended")
    assert_nothing_personal(app, DRIVER, extra=PLATE_SECRETS)
    assert entry.plate == "" and entry.vin == ""
