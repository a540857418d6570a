"""排队取号 (queue tickets): a business type, a number from the queue device, a ticket."""

from kiosk.declaration import Department, Function, Tile
from kiosk.i18n import Text

DEPARTMENT = Department(
    key="queue",
    name=Text("排队取号", "Queue tickets"),
    breaker="queue",
    build="kiosk.departments.queue.flow:build",
    screens={"queue": "screens.queue:QueueScreen"},
    tile=Tile(text=Text("排队取号", "Queue ticket"),
              sub=Text("选择业务 · 打印号票", "Pick a service · print a ticket"), order=40,
              problem="kiosk.departments.queue.flow:tile_problem"),
    functions=(
        Function("queue.business_types", Text("排队业务类型", "Queue business types")),
        Function("queue.ticket", Text("排队取号", "Queue ticket")),
    ),
    prompts={"queue": Text("请选择您要办理的业务，取号后请留意叫号",
                           "Please choose a service, then watch for your number.")},
)
