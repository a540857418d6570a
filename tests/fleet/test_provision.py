"""Provisioning a terminal makes two broker logins: the UI's and its health agent's."""

from __future__ import annotations

import contextlib
import io

from agent.settings import load_settings
from fleet import provision, registry


def test_a_terminal_gets_its_own_login_and_its_agent_another(tmp_path):
    folder = tmp_path / "fleet"
    provision.init(folder, 8883, ["localhost"])
    creds = provision.add_terminal(folder, "T-1", "hall-a")
    assert (creds["username"], creds["agent_username"]) == ("T-1", "T-1/agent")
    assert creds["password"] != creds["agent_password"]
    users = [line.split(":")[0] for line in
             (provision.broker_dir(folder) / "passwd").read_text().splitlines()]
    assert users == ["T-1", "T-1/agent"]
    reg = provision.registry_file(folder)
    assert registry.load(reg) == {"T-1": "hall-a"}
    assert registry.agents(reg) == {"T-1": "T-1/agent"}
    registry.register(reg, "T-1", "hall-b")  # moved: its agent stays its own
    assert registry.load(reg) == {"T-1": "hall-b"} and registry.agents(reg) == {"T-1": "T-1/agent"}
    assert registry.Registry(reg).agent("T-1") == "T-1/agent"


def test_what_the_command_prints_is_what_the_kiosk_and_the_agent_read(tmp_path):
    folder = tmp_path / "fleet"
    provision.init(folder, 8883, ["localhost"])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert provision.main(["terminal", str(folder), "T-2", "--site", "hall"]) == 0
    kiosk, agent = out.getvalue().split("# /etc/kiosk/agent.toml")
    (tmp_path / "kiosk.toml").write_text(kiosk)
    (tmp_path / "agent.toml").write_text(agent.split("\n", 1)[1])
    settings = load_settings(tmp_path / "kiosk.toml", tmp_path / "agent.toml")
    assert settings.login.username == "T-2/agent"
    assert settings.login.password not in kiosk  # the UI's file never holds it
    assert settings.broker.password and settings.broker.password not in agent
