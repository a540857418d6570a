"""交管 (traffic): driving licence, violations by plate or licence, paying a fine."""

from kiosk.declaration import Department, Function, Tile
from kiosk.i18n import Text

DEPARTMENT = Department(
    key="traffic",
    name=Text("交管业务", "Traffic service"),
    breaker="traffic",
    build="kiosk.departments.traffic.flow:build",
    screens={"traffic": "screens.traffic:TrafficScreen",
             "plate_entry": "screens.plate_entry:PlateEntryScreen",
             "payment": "screens.payment:PaymentScreen"},
    tile=Tile(text=Text("交管", "Traffic"),
              sub=Text("违法查询 · 罚款缴纳 · 记分", "Violations · fines · points"), order=30),
    functions=(
        Function("traffic.licence", Text("驾驶证查询", "Driving licence")),
        Function("traffic.violations_by_licence",
                 Text("违法查询（驾驶证）", "Violations by licence")),
        Function("traffic.violations_by_plate", Text("违法查询（车牌）", "Violations by plate")),
        Function("traffic.fine_order", Text("罚款缴纳下单", "Fine payment order")),
        Function("traffic.fine_payment", Text("罚款缴纳", "Fine payment")),
        Function("traffic.fine_cancel", Text("罚款订单撤销", "Fine order cancelled")),
        Function("traffic.fine_receipt", Text("罚款缴纳凭证", "Fine receipt")),
    ),
    prompts={
        "traffic": Text("这是您的驾驶证信息，可查询交通违法", "Here is your driving licence. "
                        "You can look up traffic violations."),
        "plate_entry": Text("请输入车牌号和车架号后六位",
                            "Please enter the plate number and the last six characters "
                            "of the VIN."),
        "payment": Text("请用手机扫描二维码缴纳罚款", "Please scan the QR code with your "
                        "phone to pay the fine."),
    },
)
