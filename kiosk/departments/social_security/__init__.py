"""社保 (social security): insurance status, certificate, contributions, pensions."""

from kiosk.declaration import Department, Function, Tile
from kiosk.i18n import Text

DEPARTMENT = Department(
    key="social_security",
    name=Text("社保业务", "Social security service"),
    breaker="social-security",
    build="kiosk.departments.social_security.flow:build",
    screens={"ss_status": "screens.ss_status:SocialSecurityScreen"},
    tile=Tile(text=Text("社保", "Social security"),
              sub=Text("参保查询 · 参保证明", "Insurance status · certificate"), order=10),
    functions=(
        Function("ss.insurance_status", Text("社保参保查询", "Social insurance status")),
        Function("ss.certificate", Text("参保证明打印", "Insurance certificate")),
        Function("ss.contributions", Text("社保缴费记录", "Insurance contributions")),
        Function("ss.pension_payments", Text("养老金发放记录", "Pension payments")),
    ),
    prompts={"ss_status": Text("这是您的参保信息，可查看记录或打印参保证明",
                               "Here is your insurance status. You can see the records "
                               "or print a certificate.")},
)
