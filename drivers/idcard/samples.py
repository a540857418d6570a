"""Fictitious cards of the three permit types, for the simulator and the tests.

Every name, number and place here is invented; the numbers pass the checks a real
card's would (GB 11643 check digits), but belong to nobody. Resident demo cards
come from the demo back end's citizens (``drivers.idcard.cli.demo_cards``).
"""

from __future__ import annotations

from drivers.idcard.card import CardType, IdCard

HMT_PERMIT = IdCard(
    name="陈演示", sex="1", nation="", birth="19900101",
    address="广东省深圳市福田区示例路2号", id_number="810000199001010019",
    authority="深圳市公安局福田分局", valid_from="20230101", valid_to="20280101",
    card_type=CardType.HMT_PERMIT, pass_number="H12345678", issue_count="01",
)  # fmt: skip
FOREIGN_OLD = IdCard(
    name="史密斯", sex="2", nation="", birth="19800808", address="",
    id_number="USA310080808001", authority="3100", valid_from="20150301",
    valid_to="20250301", card_type=CardType.FOREIGN_OLD,
    english_name="SAMPLE, JANE EXAMPLE", nationality="USA", card_version="01",
)  # fmt: skip
FOREIGN_2023 = IdCard(
    name="史测试", sex="1", nation="", birth="19800808", address="",
    id_number="931840198008080018", authority="国家移民管理局",
    valid_from="20240101", valid_to="20340101", card_type=CardType.FOREIGN_2023,
    english_name="TESTCASE, JOHN ALEXANDER MAXIMILIAN SAMPLE",  # 42: spans both ranges
    nationality="USA", renewal_count="00", old_card_link="",
)  # fmt: skip

PERMITS = {"J": HMT_PERMIT, "I": FOREIGN_OLD, "Y": FOREIGN_2023}
