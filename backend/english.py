"""English for the back end's Chinese data that a citizen reads: departments, banks,
places, fees. A real platform keeps both languages in its records; the demo keeps the
seed in Chinese and answers both through this one table, so a ``*_en`` field is never
left empty (a test asks every answer)."""

from __future__ import annotations

import re

EN: dict[str, str] = {
    # departments
    "市场监督管理局": "Market Supervision Administration",
    "规划和自然资源局": "Planning and Natural Resources Bureau",
    "不动产登记中心": "Real Estate Registration Centre",
    "社会保险基金管理局": "Social Insurance Fund Administration",
    "住房公积金管理中心": "Housing Provident Fund Centre",
    "医疗保障局": "Healthcare Security Bureau",
    "公安局": "Public Security Bureau",
    "公安局交通警察支队": "Traffic Police",
    "水务局": "Water Bureau",
    "城市管理和综合执法局": "Urban Management Bureau",
    "卫生健康委员会": "Health Commission",
    "消防救援支队": "Fire and Rescue Service",
    # banks
    "中国工商银行": "ICBC",
    "中国建设银行": "China Construction Bank",
    "中国银行": "Bank of China",
    "中国农业银行": "Agricultural Bank of China",
    "中国工商银行深圳分行": "ICBC, Shenzhen Branch",
    "中国建设银行深圳分行": "China Construction Bank, Shenzhen Branch",
    "中国银行深圳分行": "Bank of China, Shenzhen Branch",
    # places of traffic violations (all in Shenzhen: the district is enough on a row)
    "深圳市福田区深南大道彩田路口": "Shennan Blvd, Futian",
    "深圳市南山区科技园南区示例路": "Shili Rd, Science Park, Nanshan",
    "深圳市宝安区宝安大道": "Bao'an Blvd, Bao'an",
    "深圳市龙华区梅龙大道": "Meilong Blvd, Longhua",
    "深圳市宝安区机场路": "Airport Rd, Bao'an",
    "深圳市罗湖区东门中路": "Dongmen Rd Middle, Luohu",
    "深圳市罗湖区人民南路": "Renmin Rd South, Luohu",
    "深圳市福田区滨河大道": "Binhe Blvd, Futian",
    "深圳市盐田区沙头角海景路": "Haijing Rd, Shatoujiao, Yantian",
    # pharmacies and hospitals of medical-insurance spending
    "深圳市示例大药房（福田店）": "Shili Pharmacy, Futian",
    "深圳市演示医药连锁（罗湖店）": "Yanshi Pharmacy Chain, Luohu",
    "深圳市样本药店（南山店）": "Yangben Pharmacy, Nanshan",
    "深圳市测试大药房（宝安店）": "Ceshi Pharmacy, Bao'an",
    "深圳市示例人民医院": "Shili People's Hospital",
    "深圳市演示中医院": "Yanshi Hospital of Chinese Medicine",
    "福田区示例社区健康服务中心": "Shili Community Health Centre, Futian",
    "南山区测试社区健康服务中心": "Ceshi Community Health Centre, Nanshan",
    "深圳市样本妇幼保健院": "Yangben Maternal and Child Health Hospital",
    # fees and reasons
    "免费": "free",
    "按处罚决定": "as the penalty decision says",
    "司法冻结（深圳市示例区人民法院）":
        "Frozen by a court (Shili District People's Court, Shenzhen)",
}
_TAIL = re.compile(r"^(?P<name>.+)（尾号(?P<digits>\d{4})）$")  # a bank with its account tail
_YUAN = re.compile(r"^(?P<n>\d+)元$")


def english(zh: str) -> str:
    """The English for ``zh``; ``zh`` itself if the table has none (a test keeps it full)."""
    if zh in EN:
        return EN[zh]
    if m := _TAIL.match(zh):
        return f"{english(m['name'])} (account ending {m['digits']})"
    if m := _YUAN.match(zh):
        return f"¥{m['n']}"
    return zh
