"""Attack 7 (provisioning): names that are not terminals, and what the broker host holds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fleet import provision, registry

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path):
    provision.init(tmp_path / "fleet", 18883, ["localhost"], bind="127.0.0.1")
    return tmp_path / "fleet"


@pytest.mark.parametrize("name", ["console", "Console", "T-X+#", "T-X/#", "a b", "", "-x",
                                  "x" * 33, "T-1\n"])
def test_provisioning_refuses_a_name_that_is_no_terminal_id(folder, name):
    before = {p.name: p.read_bytes() for p in provision.broker_dir(folder).iterdir()}
    run = subprocess.run([sys.executable, "-m", "fleet.provision", "terminal", "--site",
                          "futian-hall", str(folder), "--", name], cwd=REPO,
                         capture_output=True, text=True)
    assert run.returncode == 2 and "not allowed" in run.stderr, run.stderr
    after = {p.name: p.read_bytes() for p in provision.broker_dir(folder).iterdir()}
    assert after == before  # the console's login and every password file untouched
    assert registry.load(provision.registry_file(folder)) == {}


@pytest.mark.parametrize("site", ["", "a/b", "+", "<b>", "x" * 65])
def test_provisioning_refuses_a_site_outside_the_pattern(folder, site):
    with pytest.raises(ValueError):
        provision.add_terminal(folder, "T-1", site)
    assert registry.load(provision.registry_file(folder)) == {}


def test_the_broker_folder_holds_no_key_that_signs_commands_or_certificates(folder):
    creds = provision.add_terminal(folder, "T-1", "futian-hall")
    secrets = {"fleet key": (provision.console_dir(folder) / "fleet.key").read_bytes().strip(),
               "CA key": (provision.ca_dir(folder) / "ca.key").read_bytes().strip(),
               "terminal command key": creds["command_key"].encode()}
    broker = provision.broker_dir(folder)
    for path in broker.rglob("*"):
        data = path.read_bytes()
        for what, secret in secrets.items():
            assert secret not in data, f"{what} in {path}"
    conf = (broker / "mosquitto.conf").read_text()
    for line in conf.splitlines():
        for word in line.split()[1:]:
            if word.startswith("/"):
                assert Path(word).resolve().is_relative_to(broker.resolve()), line
    assert registry.load(provision.registry_file(folder)) == {"T-1": "futian-hall"}
