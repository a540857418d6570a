"""Fictitious demo citizens: the seed data of the demo back end and of the ID-card simulator.

Every name, address and unit here is invented (示例/演示/测试...). The ID numbers follow
GB 11643 (area code, birth date, sequence whose parity gives the sex, check digit) so that
the kiosk's validation accepts them, but they belong to nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

# GB/T 3304 nation codes, as the ID card stores them (only the ones the demo needs, plus a few).
NATIONS: dict[str, str] = {
    "01": "汉",
    "02": "蒙古",
    "03": "回",
    "04": "藏",
    "05": "维吾尔",
    "06": "苗",
    "07": "彝",
    "08": "壮",
    "10": "朝鲜",
    "11": "满",
}


def check_digit(first17: str) -> str:
    """GB 11643 check character for the first 17 digits of a resident ID number."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("need exactly 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def is_valid_id_number(id_number: str) -> bool:
    """True if the 18-character number has digits in place and the right check character."""
    if len(id_number) != 18 or not (id_number.isascii() and id_number[:17].isdigit()):
        return False
    return check_digit(id_number[:17]) == id_number[17].upper()


@dataclass(frozen=True)
class DemoInsurance:
    type: str  # "pension" | "medical" | "unemployment" | "injury" | "maternity"
    status: str  # "paying" | "suspended" | "retired"
    since: str  # "YYYY-MM": first month insured
    months: int  # months paid in total
    unit: str  # employer, or how the person is insured
    monthly_base: int  # contribution base, yuan per month (0 once retired)


@dataclass(frozen=True)
class DemoCitizen:
    # The fields of a second-generation ID card (GA 467 text block).
    name: str
    sex: str  # "1" male, "2" female
    nation: str  # GB/T 3304 code, see NATIONS
    birth: str  # YYYYMMDD
    address: str
    id_number: str
    authority: str
    valid_from: str  # YYYYMMDD
    valid_to: str  # YYYYMMDD or "长期"
    # The demo back end's view of the person.
    situation: str  # one line for docs and tests, English
    insurances: tuple[DemoInsurance, ...] = ()
    demo_tag: str = "employee"  # what the demo identify screen calls the card (strings.toml)

    @property
    def nation_name(self) -> str:
        return NATIONS.get(self.nation, "")


_ALL_FIVE = ("pension", "medical", "unemployment", "injury", "maternity")


def _employee(status: str, since: str, months: int, unit: str, base: int) -> tuple:
    return tuple(DemoInsurance(t, status, since, months, unit, base) for t in _ALL_FIVE)


_RETIRED = "退休人员（社会化管理）"
_FLEXIBLE = "灵活就业人员（个人缴费）"

DEMO_CITIZENS: list[DemoCitizen] = [
    DemoCitizen(
        "张示例", "1", "01", "19880312", "广东省深圳市福田区示例路1号演示花园1栋101",
        "440304198803121237", "深圳市公安局福田分局", "20160510", "20360510",
        "employee, all five insurances paying",
        _employee("paying", "2015-03", 128, "深圳市示例科技有限公司", 12000),
    ),
    DemoCitizen(
        "李演示", "2", "01", "19620815", "广东省深圳市罗湖区演示街28号测试大厦5楼",
        "440303196208152340", "深圳市公安局罗湖分局", "20100301", "长期",
        "retiree drawing a pension since 2012",
        (
            DemoInsurance("pension", "retired", "1985-07", 326, _RETIRED, 0),
            DemoInsurance("medical", "retired", "1998-01", 176, _RETIRED, 0),
        ),
        demo_tag="retiree",
    ),
    DemoCitizen(
        "王测试", "1", "01", "20030521", "广东省深圳市南山区测试大道66号样本公寓3栋2单元",
        "440305200305211236", "深圳市公安局南山分局", "20210802", "20310802",
        "student, no social-security records at all",
        demo_tag="no_records",
    ),
    DemoCitizen(
        "赵样本", "1", "01", "19790204", "广东省深圳市宝安区样本路9号虚构新村12号",
        "440306197902041230", "深圳市公安局宝安分局", "20121120", "20321120",
        "left his job: every insurance suspended (暂停缴费)",
        _employee("suspended", "2008-06", 96, "深圳市测试物流有限公司", 8000),
        demo_tag="frozen_fund",
    ),
    DemoCitizen(
        "陈模拟", "2", "01", "19850917", "广东省深圳市龙岗区模拟街3号演示小区7栋",
        "44030719850917234X", "深圳市公安局龙岗分局", "20190415", "20390415",
        "flexible employment (灵活就业): pension and medical only; ID ends in X",
        (
            DemoInsurance("pension", "paying", "2019-01", 82, _FLEXIBLE, 2360),
            DemoInsurance("medical", "paying", "2019-01", 82, _FLEXIBLE, 2360),
        ),
        demo_tag="flexible",
    ),
    DemoCitizen(
        "刘虚构", "1", "01", "19380106", "广东省深圳市福田区虚构路18号示例大院",
        "440304193801061231", "深圳市公安局福田分局", "20060106", "长期",
        "elderly (born 1938), retired long ago",
        (
            DemoInsurance("pension", "retired", "1992-01", 96, _RETIRED, 0),
            DemoInsurance("medical", "retired", "1998-01", 0, _RETIRED, 0),
        ),
        demo_tag="elderly",
    ),
    DemoCitizen(
        "黄例子", "2", "08", "19960728", "广东省深圳市南山区例子路5号演示公寓8楼",
        "440305199607282341", "深圳市公安局南山分局", "20180903", "20280903",
        "Zhuang nationality, new employee: five insurances paying for 5 months",
        _employee("paying", "2026-06", 5, "深圳市例子文化传媒有限公司", 6000),
        demo_tag="new_employee",
    ),
    DemoCitizen(
        "孙样例", "1", "03", "19700630", "广东省深圳市罗湖区样例巷2号测试楼301",
        "440303197006301234", "深圳市公安局罗湖分局", "20040630", "20240630",
        "Hui nationality, long career, ID card EXPIRED (valid to 2024-06-30)",
        _employee("paying", "1992-07", 401, "深圳市样本制造有限公司", 15000),
        demo_tag="expired_id",
    ),
    DemoCitizen(
        "周示范", "1", "01", "19910405", "广东省深圳市福田区示范路7号样板花园2栋502",
        "440304199104051238", "深圳市公安局福田分局", "20170620", "20370620",
        "social security card temporarily reported lost (临时挂失) two days ago",
        _employee("paying", "2014-07", 148, "深圳市示范软件有限公司", 10000),
        demo_tag="card_lost",
    ),
    DemoCitizen(
        "吴常规", "1", "01", "19830119", "广东省深圳市南山区常规街12号演示新苑6栋",
        "440305198301191231", "深圳市公安局南山分局", "20150311", "20350311",
        "social security card in normal use: the one to report lost in a demo",
        _employee("paying", "2006-02", 249, "深圳市常规贸易有限公司", 9000),
        demo_tag="card_normal",
    ),
]


def find_citizen(id_number: str) -> DemoCitizen | None:
    """The demo citizen with this ID number (case-insensitive 'x'), or None."""
    wanted = id_number.upper()
    return next((c for c in DEMO_CITIZENS if c.id_number == wanted), None)
