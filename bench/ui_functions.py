"""The citizen functions the UI benchmark touches (``bench/ui_latency.py``), each from
the screen it starts on to the touch measured. Every department with a home tile is in
the list: those not listed by hand get a tile touch from their declaration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.declaration import Department
from kiosk.departments import with_tiles
from kiosk.departments.cases import DEPARTMENT as CASES
from kiosk.departments.guides import DEPARTMENT as GUIDES
from kiosk.departments.housing_fund import DEPARTMENT as HOUSING_FUND
from kiosk.departments.queue import DEPARTMENT as QUEUE
from kiosk.departments.social_security import DEPARTMENT as SOCIAL_SECURITY
from kiosk.departments.traffic import DEPARTMENT as TRAFFIC

LONG_CAREER, RETIREE, EMPLOYEE = "孙样例", "李演示", "张示例"
CARD_HOLDER = "吴常规"  # a social security card in normal use
CASE_NUMBER = "202611220001"
GUIDE_QUERY = "tiqu gongjijn"  # the robot test's query: words swapped, a letter missing


@dataclass
class Function:
    name: str
    citizen: str
    enter: Callable  # (world) from home to the screen the touch is on; unmeasured
    target: Callable  # (app) -> the widget touched
    shown: Callable  # (app) -> the next screen shows the answer
    again: Callable  # (world) back to the screen the touch is on; unmeasured
    waits: bool = True  # the next screen waits for the back end (and the journal)
    department: Department | None = None  # the department whose tile is touched, if any



# -- the functions -----------------------------------------------------------------
def screen(app, name: str):
    return app.screens.get_screen(name)


def answered(app, name: str) -> bool:
    """``name`` is shown and the back end has answered (the loading notice is gone)."""
    return app.screens.current == name and app.controller.notice == ""


def rows_shown(app, count: int) -> bool:
    """The records screen shows ``count`` rows, and its row widgets show their data."""
    rv = screen(app, "records").ids.rv
    views = rv.view_adapter.views
    return (answered(app, "records") and len(rv.data) == count and bool(views)
            and all(v.title == rv.data[int(i)]["title"] for i, v in views.items()))


def back_from_records(to: str, ready: Callable) -> Callable:
    def again(world) -> None:
        from tests.robot.kivy_robot import tap, wait_until

        app = world.app
        tap(screen(app, "records").ids.back_button)
        wait_until(lambda: app.screens.current == to and ready(app), what=f"back to {to}")
    return again


def show(to: str, ready: Callable = lambda _app: True) -> Callable:
    """Back through the app's navigator (the kiosk's own back buttons call it too)."""
    def again(world) -> None:
        from tests.robot.kivy_robot import frames, wait_until

        world.app.show(to)
        wait_until(lambda: world.app.screens.current == to and ready(world.app), what=to)
        frames(2)
    return again


def tile(department: Department) -> Callable:
    """(app) → the department's home tile."""
    return lambda app: screen(app, "home").tile(department)


def tap_tile(department: Department, to: str, ready: Callable) -> Callable:
    def enter(world) -> None:
        from tests.robot.kivy_robot import tap, wait_until

        app = world.app
        touched = screen(app, "home").tile(department)
        wait_until(lambda: touched.enabled, what=f"{department.key} available")
        tap(touched)
        wait_until(lambda: answered(app, to) and ready(app), what=to)
    return enter


def tap_home_tile(department: Department) -> Callable:
    def step(world) -> None:
        from tests.robot.kivy_robot import tap

        tap(screen(world.app, "home").tile(department))
    return step


def then(*steps: Callable) -> Callable:
    def run(world) -> None:
        for step in steps:
            step(world)
    return run


def tap_on(screen_name: str, button: str, ready: Callable) -> Callable:
    def step(world) -> None:
        from tests.robot.kivy_robot import tap, wait_until

        app = world.app
        tap(screen(app, screen_name).ids[button])
        wait_until(lambda: ready(app), what=f"{button} answered")
    return step


def type_plate(world) -> None:
    from tests.robot.kivy_robot import tap, wait_until
    from tests.robot.test_traffic import PLATE, VIN6, type_keys

    app = world.app
    tap(screen(app, "traffic").ids.plate_button)
    wait_until(lambda: app.screens.current == "plate_entry", what="plate entry")
    entry = screen(app, "plate_entry")
    type_keys(entry, PLATE)
    if entry.field == "plate":
        tap(entry.ids.vin_cells)
    type_keys(entry, VIN6)
    assert entry.ready, "plate and VIN typed"


def type_case(world) -> None:
    from tests.robot.kivy_robot import wait_until
    from tests.robot.test_case_progress import type_number

    app = world.app
    wait_until(lambda: app.screens.current == "case_entry", what="case entry")
    type_number(screen(app, "case_entry"), CASE_NUMBER)


def type_query_but_last(world) -> None:
    from tests.robot.test_guides import type_query

    type_query(screen(world.app, "guides"), GUIDE_QUERY[:-1])


def delete_last(world) -> None:
    from tests.robot.kivy_robot import tap

    tap(screen(world.app, "guides").ids.delete_button)


def guide_found(app) -> bool:
    guides = screen(app, "guides")
    results = [b.text for b in reversed(guides.ids.results.children)]
    return guides.query == GUIDE_QUERY and results[:1] == ["住房公积金提取（租房）"]


def first_row_button(app):
    from screens.base import KioskButton

    views = screen(app, "records").ids.rv.view_adapter.views
    return next(w for w in views[0].walk(restrict=True) if isinstance(w, KioskButton))


def bundle_shown(app) -> bool:
    return screen(app, "records").title == "一件事一次办" and rows_shown(app, 16)


def loan_shown(app) -> bool:
    """360 instalments, opened at the next one due (not at the top)."""
    views = screen(app, "records").ids.rv.view_adapter.views
    return rows_shown(app, 360) and min(views) > 0


def print_done_and_back(world) -> None:
    from tests.robot.kivy_robot import wait_until

    app = world.app
    wait_until(lambda: app.controller.print_state == "done", timeout=30, what="printed")
    show("ss_status", ss_ready)(world)


def ss_ready(app) -> bool:
    ss = screen(app, "ss_status")
    return ss.loaded and not ss.ids.print_button.disabled


def hf_ready(app) -> bool:
    return screen(app, "hf_account").loaded


def licence_ready(app) -> bool:
    return screen(app, "traffic").has_licence


def guides_ready(app) -> bool:
    return screen(app, "guides").loaded


def functions() -> list[Function]:
    to_ss = tap_tile(SOCIAL_SECURITY, "ss_status", ss_ready)
    to_hf = tap_tile(HOUSING_FUND, "hf_account", hf_ready)
    to_traffic = tap_tile(TRAFFIC, "traffic", licence_ready)
    to_guides = tap_tile(GUIDES, "guides", guides_ready)
    ids = lambda name, key: lambda app: screen(app, name).ids[key]  # noqa: E731
    home = show("home")
    listed = [
        Function("社保 insurance status", EMPLOYEE, lambda _w: None, tile(SOCIAL_SECURITY),
                 lambda app: answered(app, "ss_status") and ss_ready(app), home,
                 department=SOCIAL_SECURITY),
        Function("社保 contribution history (401 months)", LONG_CAREER, to_ss,
                 ids("ss_status", "contrib_button"), lambda app: rows_shown(app, 401),
                 back_from_records("ss_status", ss_ready)),
        Function("社保 pension payments (171)", RETIREE, to_ss,
                 ids("ss_status", "pension_button"), lambda app: rows_shown(app, 171),
                 back_from_records("ss_status", ss_ready)),
        Function("公积金 account", EMPLOYEE, lambda _w: None, tile(HOUSING_FUND),
                 lambda app: answered(app, "hf_account") and hf_ready(app), home,
                 department=HOUSING_FUND),
        Function("公积金 contribution details (128)", EMPLOYEE, to_hf,
                 ids("hf_account", "contrib_button"), lambda app: rows_shown(app, 128),
                 back_from_records("hf_account", hf_ready)),
        Function("公积金 loan schedule (360, at next due)", EMPLOYEE, to_hf,
                 ids("hf_account", "loan_button"), loan_shown,
                 back_from_records("hf_account", hf_ready)),
        Function("公积金 withdrawals", EMPLOYEE, to_hf,
                 ids("hf_account", "withdrawal_button"), lambda app: rows_shown(app, 1),
                 back_from_records("hf_account", hf_ready)),
        Function("交管 licence points", EMPLOYEE, lambda _w: None, tile(TRAFFIC),
                 lambda app: answered(app, "traffic") and licence_ready(app), home,
                 department=TRAFFIC),
        Function("交管 violations by plate", EMPLOYEE, then(to_traffic, type_plate),
                 ids("plate_entry", "search_button"), lambda app: rows_shown(app, 3),
                 back_from_records("plate_entry", lambda app: True)),
        Function("办事进度 case progress", EMPLOYEE,
                 then(tap_home_tile(CASES), type_case),
                 ids("case_entry", "search_button"), lambda app: rows_shown(app, 3),
                 back_from_records("case_entry", lambda app: True), department=CASES),
        Function("办事指南 catalog", EMPLOYEE, lambda _w: None, tile(GUIDES),
                 lambda app: answered(app, "guides") and guides_ready(app), home,
                 department=GUIDES),
        Function("办事指南 search, last key (no back end)", EMPLOYEE,
                 then(to_guides, type_query_but_last),
                 lambda app: screen(app, "guides").ids.keypad.button(GUIDE_QUERY[-1].upper()),
                 guide_found, delete_last, waits=False),
        Function("一件事 bundle (16 rows)", EMPLOYEE,
                 then(to_guides, tap_on("guides", "bundles_button",
                                        lambda app: rows_shown(app, 3))),
                 first_row_button, bundle_shown,
                 then(back_from_records("guides", guides_ready),
                      tap_on("guides", "bundles_button", lambda app: rows_shown(app, 3)))),
        Function("社保卡 card status", CARD_HOLDER, to_ss, ids("ss_status", "card_button"),
                 lambda app: answered(app, "ss_card") and screen(app, "ss_card").loaded,
                 show("ss_status", ss_ready)),
        Function("排队取号 business types", EMPLOYEE, lambda _w: None, tile(QUEUE),
                 lambda app: answered(app, "queue")
                 and bool(screen(app, "queue").ids.types_box.children), home,
                 department=QUEUE),
        Function("参保证明 print (to the printing screen)", EMPLOYEE, to_ss,
                 ids("ss_status", "print_button"),
                 lambda app: app.screens.current == "printing"
                 and screen(app, "printing").state == "printing",
                 print_done_and_back, waits=False),
    ]
    return listed + every_other_tile(listed, home)


def first_screen_answered(department: Department) -> Callable:
    return lambda app: answered(app, department.first_screen)


def every_other_tile(listed: list[Function], home: Callable) -> list[Function]:
    """A tile touch for every declared department the list above does not open from its
    tile: a new department is measured without a line here."""
    covered = {fn.department for fn in listed}
    return [
        Function(f"{d.tile.text.zh} {d.tile.text.en.lower()}", EMPLOYEE, lambda _w: None,
                 tile(d), first_screen_answered(d), home,
                 department=d)
        for d in with_tiles() if d not in covered
    ]
