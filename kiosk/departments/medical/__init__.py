"""医保 (medical insurance): insured status, the personal account and its spending, the
医保电子凭证 QR code, 异地就医备案 and the printed 参保凭证. Its own breaker."""

from kiosk.declaration import Department, Function, Tile
from kiosk.departments.medical.texts import TEXTS
from kiosk.i18n import Text

DEPARTMENT = Department(
    key="medical",
    name=Text("医保业务", "Medical insurance service"),
    breaker="medical-insurance",
    build="kiosk.departments.medical.flow:build",
    screens={"mi_status": "screens.mi_status:MedicalStatusScreen",
             "mi_voucher": "screens.mi_voucher:MedicalVoucherScreen",
             "mi_filing": "screens.mi_filing:MedicalFilingScreen"},
    tile=Tile(text=Text("医保", "Healthcare"),
              sub=Text("参保查询 · 电子凭证 · 异地备案", "Status · e-voucher · filing"),
              order=15),
    functions=(
        Function("mi.status", Text("医保参保查询", "Medical insurance status")),
        Function("mi.account", Text("医保个人账户查询", "Medical account and spending")),
        Function("mi.e_voucher", Text("医保电子凭证", "Medical insurance e-voucher")),
        Function("mi.filing_options", Text("异地就医备案选项", "Treatment elsewhere: options")),
        Function("mi.filing", Text("异地就医备案", "Treatment elsewhere filing")),
        Function("mi.certificate", Text("医保参保凭证打印", "Medical insurance certificate")),
    ),
    texts=TEXTS,
    prompts={
        "mi_status": Text("这是您的医保参保信息，可查看账户、领取电子凭证或办理异地就医备案",
                          "Here is your medical insurance. You can see your account, get "
                          "the e-voucher or register treatment in another city."),
        "mi_voucher": Text("请用手机扫描二维码领取医保电子凭证",
                           "Please scan the QR code with your phone to get your e-voucher."),
        "mi_filing": Text("请选择就医地、备案类型和开始日期，确认后提交",
                          "Please choose the city, the reason and the start date, then "
                          "confirm."),
    },
)
