"""社保卡 (social security card): its status and a temporary loss report. No tile of its
own: reached from the 社保 screen, over the social-security breaker."""

from kiosk.declaration import Department, Function
from kiosk.i18n import Text

DEPARTMENT = Department(
    key="ss_card",
    name=Text("社保卡业务", "Social security card service"),
    breaker="social-security",
    build="kiosk.departments.ss_card.flow:build",
    screens={"ss_card": "screens.ss_card:SocialSecurityCardScreen"},
    functions=(
        Function("ss.card_status", Text("社保卡状态查询", "Social security card status")),
        Function("ss.card_loss_report", Text("社保卡临时挂失", "Card loss report")),
    ),
    prompts={"ss_card": Text("这是您的社保卡状态，如卡片丢失可临时挂失",
                             "Here is your card's status. If the card is lost, you can "
                             "report it.")},
)
