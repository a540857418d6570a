"""Fictitious social security cards for the tests (the numbers belong to nobody)."""

from __future__ import annotations

from drivers.sscard.protocol import SocialSecurityCard

CARD = SocialSecurityCard(
    card_id="440300D156000005A1B2C3D4E5F60718",
    card_type="3",
    spec_version="3.00",
    issuing_org="440300000000",
    issue_date="20230915",
    expiry_date="20330915",
    card_number="M12345678",
    ssn="440304199003071234",
    name="张示例",
    sex="1",
    nation="01",
    birthplace="440304",
    birth_date="19900307",
)

OTHER = SocialSecurityCard(
    card_id="110100D156000005000000000000ABCD",
    card_type="3",
    spec_version="2.00",
    issuing_org="110100",
    issue_date="20150101",
    expiry_date="20250101",
    card_number="B87654321",
    ssn="11010119850512002X",
    name="欧阳演示测试",
    sex="2",
    nation="11",
    birthplace="1101",
    birth_date="19850512",
)
