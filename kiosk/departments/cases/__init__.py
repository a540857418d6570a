"""办事进度 (case progress): a case number, its stages and their supervision lights."""

from kiosk.declaration import Department, Function, Tile
from kiosk.i18n import Text

DEPARTMENT = Department(
    key="cases",
    name=Text("办事进度查询", "Case progress service"),
    breaker="cases",
    build="kiosk.departments.cases.flow:build",
    screens={"case_entry": "screens.case_entry:CaseEntryScreen"},
    tile=Tile(text=Text("办事进度", "Case progress"),
              sub=Text("办件编号查询 · 红黄绿灯", "By case number · traffic lights"), order=50),
    functions=(Function("case.progress", Text("办件进度查询", "Case progress")),),
    prompts={"case_entry": Text("请输入受理通知书上的办件编号",
                                "Please enter the case number from your acceptance notice.")},
)
