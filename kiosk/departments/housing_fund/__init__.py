"""公积金 (housing fund): account, contributions, loans, withdrawals, certificate."""

from kiosk.declaration import Department, Function, Tile
from kiosk.i18n import Text

DEPARTMENT = Department(
    key="housing_fund",
    name=Text("公积金业务", "Housing fund service"),
    breaker="housing-fund",
    build="kiosk.departments.housing_fund.flow:build",
    screens={"hf_account": "screens.hf_account:HousingFundScreen"},
    tile=Tile(text=Text("公积金", "Housing fund"),
              sub=Text("余额 · 明细 · 缴存证明", "Balance · details · certificate"), order=20),
    functions=(
        Function("hf.account", Text("公积金账户查询", "Housing fund account")),
        Function("hf.certificate", Text("公积金缴存证明", "Housing fund certificate")),
        Function("hf.contributions", Text("公积金缴存记录", "Housing fund contributions")),
        Function("hf.loans", Text("公积金贷款", "Housing fund loans")),
        Function("hf.withdrawals", Text("公积金提取记录", "Housing fund withdrawals")),
    ),
    prompts={"hf_account": Text("这是您的公积金账户，可查看明细或打印缴存证明",
                                "Here is your housing fund account. You can see the "
                                "details or print a certificate.")},
)
