"""udev rules from USB ids: stable names, group access only, nothing injected.

Debian 12's udevadm (systemd 252) has no `udevadm verify` (added in 253): the rules are
parsed here with udev's own grammar (KEY[{attr}] OP "value", comma separated) instead,
and checked with `udevadm verify` where this machine's udev has it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from provisioning.devices import DeviceError, complete, load_file, parse_option, rules

TOKEN = re.compile(r'\s*([A-Z_]+)(\{[^}]+\})?\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(,|$)')
MATCH_KEYS = {"SUBSYSTEM", "ATTRS"}
ASSIGN = {"SYMLINK": "+=", "GROUP": "=", "MODE": "="}


def parse_rule(line: str) -> list[tuple[str, str, str, str]]:
    tokens, pos = [], 0
    while pos < len(line):
        m = TOKEN.match(line, pos)
        assert m, f"not udev syntax at {line[pos:]!r}"
        tokens.append((m.group(1), m.group(2) or "", m.group(3), m.group(4)))
        pos = m.end()
    return tokens


def devices():
    return complete(dict(parse_option(t) for t in (
        "idcard=10c4:ea60:ID0001", "printer=0416:5011:PR-7", "queue=1a86:7523:Q.3")))


def test_each_rule_matches_vendor_product_serial_and_grants_the_group_only() -> None:
    lines = [line for line in rules(devices()).splitlines() if line and not line.startswith("#")]
    assert len(lines) == 3
    for line, role, ids in zip(lines, ("idcard", "printer", "queue"),
                               (("10c4", "ea60", "ID0001"), ("0416", "5011", "PR-7"),
                                ("1a86", "7523", "Q.3")), strict=True):
        tokens = parse_rule(line)
        matches = {(k + a): v for k, a, op, v in tokens if op == "=="}
        assigns = {k: (op, v) for k, a, op, v in tokens if op != "=="}
        assert {k for k, _a, op, _v in tokens if op == "=="} <= MATCH_KEYS
        assert matches == {"SUBSYSTEM": "tty", "ATTRS{idVendor}": ids[0],
                           "ATTRS{idProduct}": ids[1], "ATTRS{serial}": ids[2]}
        assert assigns == {"SYMLINK": ("+=", f"kiosk/{role}"), "GROUP": ("=", "kiosk-devices"),
                           "MODE": ("=", "0660")}
        assert int(assigns["MODE"][1], 8) & 0o007 == 0  # no world access


@pytest.mark.parametrize("bad", [
    'idcard=10c4:ea60:X", RUN+="/bin/sh -c id',  # a quote would end the value: refused
    "idcard=10c4:ea60:a b", "idcard=10C4:ea60:S1", "idcard=10c4:ea6:S1",
    "idcard=10c4:ea60:", "camera=10c4:ea60:S1", "idcard=10c4:ea60",
])
def test_a_value_that_is_not_a_usb_id_never_reaches_a_rule(bad: str) -> None:
    with pytest.raises(DeviceError):
        parse_option(bad)


def test_the_devices_file_and_its_errors(tmp_path: Path) -> None:
    good = tmp_path / "devices.toml"
    good.write_text('[idcard]\nvendor = "10c4"\nproduct = "ea60"\nserial = "ID0001"\n'
                    '[printer]\nvendor = "0416"\nproduct = "5011"\nserial = "PR-7"\n'
                    'subsystem = "usbmisc"\n')
    found = complete(load_file(good))
    assert found["printer"].subsystem == "usbmisc" and "queue" not in found
    assert 'SUBSYSTEM=="usbmisc"' in rules(found) and "kiosk/queue" not in rules(found)
    bad = tmp_path / "bad.toml"
    bad.write_text('[idcard]\nvendor = "10c4"\nproduct = "ea60"\nserial = "x"\nmode = "0666"\n')
    with pytest.raises(DeviceError, match="mode"):
        load_file(bad)
    with pytest.raises(DeviceError, match="printer"):
        complete({"idcard": found["idcard"]})


@pytest.mark.skipif(not shutil.which("udevadm"), reason="no udevadm on this machine")
def test_udevadm_verify_where_udev_has_it(tmp_path: Path) -> None:
    if subprocess.run(["udevadm", "verify", "--help"], capture_output=True).returncode:
        pytest.skip("this udevadm has no verify (systemd < 253)")
    path = tmp_path / "70-kiosk-devices.rules"
    path.write_text(rules(devices()))
    result = subprocess.run(["udevadm", "verify", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
