"""Bad options: one clear line and exit 2, before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from provisioning.__main__ import main
from tests.provisioning.conftest_units import fixture_units


def args(tmp: Path, **over: str) -> list[str]:
    opts = {"--terminal-id": "SZFT-0042", "--site": "futian-hall",
            "--broker": "mqtt.example.gov.cn:8883", "--console": "https://console.example",
            "--root": str(tmp / "root"), "--units": str(fixture_units(tmp / "units")),
            "--device": "idcard=10c4:ea60:ID1", **over}
    out = ["enroll", "--dry-run", "--device", "printer=0416:5011:P1"]
    for key, value in opts.items():
        out += [key, value]
    return out


@pytest.mark.parametrize(("over", "message"), [
    ({"--terminal-id": "SZFT/0042"}, "--terminal-id 'SZFT/0042': letters, digits"),
    ({"--site": "a b"}, "--site 'a b'"),
    ({"--broker": "mqtt.example.gov.cn"}, "want HOST:PORT"),
    ({"--broker": "host:99999"}, "want HOST:PORT"),
    ({"--console": "ftp://x"}, "want an http(s) URL"),
    ({"--device": "idcard=10c4:ea60:a\"b"}, "device idcard: serial"),
    ({"--device": "queue=1a86:7523:Q1"}, "no USB ids given for: idcard"),
    ({"--units": "/nonexistent"}, "no kiosk-ui.service there"),
])
def test_a_bad_option_is_one_clear_line(tmp_path: Path, capsys, over, message) -> None:
    assert main(args(tmp_path, **over)) == 2
    err = capsys.readouterr().err
    assert err.startswith("provisioning: ") and message in err
    assert "Traceback" not in err
    assert not (tmp_path / "root").exists()


def test_check_on_a_machine_never_enrolled_says_so(tmp_path: Path, capsys) -> None:
    assert main(["check", "--root", str(tmp_path)]) == 2
    assert "was never enrolled" in capsys.readouterr().err
