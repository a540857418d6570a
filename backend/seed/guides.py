"""办事指南 and 一件事 bundles: reference data, the same for every citizen.

Each guide carries its pinyin, words separated by spaces and syllables by an
apostrophe ("she'bao can'bao"), so that a kiosk without a Chinese input method
can find it from the letter keypad, by whole words or by syllable initials
("sbcb"). A bundle's materials name where the government may already hold them
(``HELD_BY``): the back end checks that for the citizen asking, and says which
need not be brought (两个免于提交).
"""

from __future__ import annotations

SS, HF, POLICE = "社会保险基金管理局", "住房公积金管理中心", "公安局交通警察支队"
MARKET = "市场监督管理局"


def _guide(gid: str, zh: str, en: str, pinyin: str, keywords: str, department: str,
           at_kiosk: bool, days: int, fee: str, materials: list[str]) -> tuple:
    return (gid, zh, en, pinyin, keywords, department, at_kiosk, days, fee, materials)


GUIDES = [
    _guide("ss-cert", "社保参保证明打印", "Print the social insurance certificate",
           "she'bao can'bao zheng'ming da'yin", "社保 证明 insurance certificate print",
           SS, True, 0, "免费", ["居民身份证"]),
    _guide("pension-check", "养老金领取资格认证", "Pension eligibility check",
           "yang'lao'jin ling'qu zi'ge ren'zheng", "养老 退休 tuixiu pension retire",
           SS, False, 0, "免费", ["居民身份证", "社会保障卡"]),
    _guide("hf-rent", "住房公积金提取（租房）", "Housing fund withdrawal for rent",
           "zhu'fang gong'ji'jin ti'qu zu'fang", "公积金 租房 提取 housing fund rent withdraw",
           HF, False, 3, "免费", ["居民身份证", "房屋租赁合同", "本人银行卡"]),
    _guide("hf-loan", "住房公积金贷款申请", "Housing fund loan application",
           "zhu'fang gong'ji'jin dai'kuan shen'qing",
           "公积金 贷款 买房 maifang housing fund loan mortgage",
           HF, False, 15, "免费", ["居民身份证", "婚姻状况证明", "购房合同", "收入证明"]),
    _guide("licence-renew", "机动车驾驶证换证", "Renew a driving licence",
           "ji'dong'che jia'shi'zheng huan'zheng", "驾照 驾驶证 换证 jiazhao driving licence renew",
           POLICE, False, 1, "10元", ["居民身份证", "驾驶证", "体检证明", "照片"]),
    _guide("violation", "交通违法处理与罚款缴纳", "Traffic violations and fines",
           "jiao'tong wei'fa chu'li fa'kuan jiao'na",
           "违章 罚款 交通 weizhang traffic violation fine pay",
           POLICE, True, 0, "按处罚决定", ["居民身份证", "驾驶证"]),
    _guide("sole-trader", "个体工商户设立登记", "Register a sole proprietorship",
           "ge'ti gong'shang'hu she'li deng'ji",
           "营业执照 开店 个体 yingye zhizhao kaidian business licence shop",
           MARKET, False, 1, "免费", ["居民身份证", "经营场所证明"]),
    _guide("food-licence", "食品经营许可证核发", "Food business licence",
           "shi'pin jing'ying xu'ke'zheng he'fa",
           "食品 餐饮 餐馆 canyin canguan food restaurant licence",
           MARKET, False, 10, "免费",
           ["营业执照", "经营场所平面图", "食品安全管理制度", "从业人员健康证明"]),
    _guide("residence", "居住证办理", "Residence permit",
           "ju'zhu'zheng ban'li", "居住证 暂住 zanzhu residence permit",
           "公安局", False, 10, "免费", ["居民身份证", "房屋租赁合同或房产证明", "照片"]),
    _guide("property", "不动产登记", "Real-estate registration",
           "bu'dong'chan deng'ji", "房产证 不动产 fangchanzheng property title deed house",
           "不动产登记中心", False, 5, "80元", ["居民身份证", "购房合同", "完税证明"]),
    _guide("medical-remote", "医保异地就医备案", "Register for medical care in another city",
           "yi'bao yi'di jiu'yi bei'an", "医保 异地 就医 medical insurance another city",
           "医疗保障局", True, 0, "免费", ["居民身份证", "社会保障卡"]),
    _guide("newborn", "新生儿出生登记", "Register a newborn",
           "xin'sheng'er chu'sheng deng'ji", "出生 户口 新生儿 hukou birth newborn baby",
           "公安局", False, 1, "免费", ["出生医学证明", "父母居民身份证", "户口簿", "结婚证"]),
]

# A material the government may hold, and what must be on record for this citizen.
HELD_BY = {
    "居民身份证": "id_card",  # read from the card at the start of the session
    "社会保险参保登记": "ss_record",
    "住房公积金缴存登记": "hf_account",
    "营业执照": "business_licence",
    "驾驶证": "driving_licence",
}
# id, title zh, title en, summary zh, summary en, steps (zh, en, department, days), materials
BUNDLES = [
    ("restaurant", "我要开餐馆", "Open a restaurant",
     "7个部门一次申报，材料只交一次", "Seven departments, one application, documents once",
     [("营业执照（个体工商户设立登记）", "Business licence", "市场监督管理局", 1),
      ("食品经营许可", "Food business licence", "市场监督管理局", 10),
      ("公众聚集场所消防安全检查", "Fire safety inspection", "消防救援支队", 10),
      ("户外招牌设置备案", "Shop sign registration", "城市管理和综合执法局", 3),
      ("城镇污水排入排水管网许可", "Drainage permit", "水务局", 5),
      ("员工社会保险参保登记", "Staff social insurance", "社会保险基金管理局", 1),
      ("住房公积金缴存登记", "Housing fund registration", "住房公积金管理中心", 1)],
     ["居民身份证", "营业执照", "社会保险参保登记", "住房公积金缴存登记", "经营场所租赁合同",
      "经营场所平面图", "食品安全管理制度", "从业人员健康证明", "消防设施检测报告"]),
    ("newborn", "新生儿出生一件事", "A child is born",
     "出生登记、医保参保、社保卡一次办", "Birth registration, medical insurance, card at once",
     [("出生医学证明", "Birth certificate", "卫生健康委员会", 0),
      ("户口登记", "Household registration", "公安局", 1),
      ("城乡居民医保参保", "Medical insurance", "医疗保障局", 1),
      ("社会保障卡申领", "Social security card", "社会保险基金管理局", 10)],
     ["居民身份证", "出生医学证明", "户口簿", "结婚证"]),
    ("retire", "退休一件事", "Retiring",
     "养老金、医保、公积金提取一次办", "Pension, medical insurance and housing fund at once",
     [("基本养老金待遇申领", "Claim the pension", "社会保险基金管理局", 20),
      ("职工医保退休待遇核定", "Medical insurance in retirement", "医疗保障局", 10),
      ("住房公积金退休提取", "Housing fund withdrawal", "住房公积金管理中心", 3)],
     ["居民身份证", "社会保险参保登记", "住房公积金缴存登记", "本人银行卡"]),
]

MATERIALS_EN = {
    "居民身份证": "Resident ID card", "社会保障卡": "Social security card",
    "房屋租赁合同": "Tenancy agreement", "本人银行卡": "Your bank card",
    "婚姻状况证明": "Marital status certificate", "购房合同": "Home purchase contract",
    "收入证明": "Proof of income", "驾驶证": "Driving licence", "体检证明": "Medical certificate",
    "照片": "Photo", "经营场所证明": "Proof of premises", "营业执照": "Business licence",
    "经营场所平面图": "Floor plan of the premises", "食品安全管理制度": "Food safety rules",
    "从业人员健康证明": "Staff health certificates",
    "房屋租赁合同或房产证明": "Tenancy agreement or title deed", "完税证明": "Tax receipt",
    "出生医学证明": "Birth certificate", "父母居民身份证": "Parents' ID cards",
    "户口簿": "Household register", "结婚证": "Marriage certificate",
    "社会保险参保登记": "Social insurance registration",
    "住房公积金缴存登记": "Housing fund registration",
    "经营场所租赁合同": "Lease of the premises", "消防设施检测报告": "Fire equipment test report",
}
