from agent.redact import MAX_LINE, redact, redact_lines


def test_id_card_and_phone_numbers_are_masked():
    line = "lookup failed for 110101199003071234 card 6222 0212 3456 7890 tel 13800138000"
    out = redact(line)
    for secret in ("110101199003071234", "6222 0212 3456 7890", "13800138000"):
        assert secret not in out
    assert out.startswith("lookup failed for")


def test_named_fields_plates_and_mail_are_masked():
    out = redact("name='张三丰' plate 粤B12345 mail zhang@example.cn id_no=X1")
    for secret in ("张三丰", "粤B12345", "zhang@example.cn", "X1"):
        assert secret not in out


def test_ordinary_lines_stay_readable():
    line = "kiosk-ui.service: Watchdog timeout (limit 5s)!"
    assert redact(line) == line
    assert redact("status=2/INVALIDARGUMENT at 13:11:00") == "status=2/INVALIDARGUMENT at 13:11:00"


def test_length_and_number_of_lines_are_capped():
    assert len(redact("x" * 1000)) == MAX_LINE
    assert redact_lines([str(n) for n in range(50)], 3) == ["47", "48", "49"]
