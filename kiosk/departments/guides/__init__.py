"""办事指南 (service guides): searched on the kiosk, and the 一件事 bundles."""

from kiosk.declaration import Department, Function, Tile
from kiosk.i18n import Text

DEPARTMENT = Department(
    key="guides",
    name=Text("办事指南", "Service guides"),
    breaker="guides",
    build="kiosk.departments.guides.flow:build",
    screens={"guides": "screens.guides:GuidesScreen"},
    tile=Tile(text=Text("办事指南", "Guides"), sub=Text("指南搜索 · 一件事", "Search · bundles"),
              order=60),
    functions=(
        Function("guides.catalog", Text("办事指南", "Service guides")),
        Function("guides.view", Text("办事指南查看", "Guide viewed")),
        Function("guides.bundles", Text("一件事一次办", "Bundles")),
        Function("guides.bundle", Text("一件事查看", "Bundle viewed")),
    ),
    prompts={"guides": Text("请用字母键盘输入拼音或关键词搜索办事指南",
                            "Type a few letters to search the service guides.")},
)
