import pytest

from agent.settings import SettingsError, load_settings


def test_reads_only_what_it_needs_and_ignores_the_rest(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[terminal]\nid = "T-1"\nsite = "hall"\nlanguage = "fr"\n'
                   '[broker]\nport = 8883\ntls = true\n[unknown]\nx = 1\n')
    s = load_settings(cfg)
    assert (s.terminal.id, s.broker.port, s.broker.tls) == ("T-1", 8883, True)
    assert s.login is None  # a broker without logins


def test_says_what_is_wrong(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[terminal]\nid = "bad id"\nsite = "hall"\n')
    with pytest.raises(SettingsError, match=r"terminal\.id"):
        load_settings(cfg)
    cfg.write_text("not toml [")
    with pytest.raises(SettingsError):
        load_settings(cfg)


KIOSK = '[terminal]\nid = "T-1"\nsite = "hall"\n[broker]\nusername = "T-1"\npassword = "ui"\n'


def test_logs_in_with_its_own_login_never_the_uis(tmp_path):
    cfg, creds = tmp_path / "kiosk.toml", tmp_path / "agent.toml"
    cfg.write_text(KIOSK)
    creds.write_text('[broker]\nusername = "T-1/agent"\npassword = "agent-secret"\n')
    s = load_settings(cfg, creds)
    assert (s.login.username, s.login.password) == ("T-1/agent", "agent-secret")


def test_a_fleet_config_without_the_agents_login_is_an_error(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(KIOSK)
    with pytest.raises(SettingsError, match=r"missing.*'T-1/agent'"):
        load_settings(cfg, tmp_path / "agent.toml")


@pytest.mark.parametrize("body, what", [
    ('[broker]\nusername = "T-1"\npassword = "x"\n', "is not this terminal's agent"),
    ('[broker]\nusername = "T-2/agent"\npassword = "x"\n', "is not this terminal's agent"),
    ('[broker]\nusername = "T-1/agent"\n', r"broker\.password"),
    ('[broker]\nusername = "T-1/agent"\npassword = "x"\nhost = "evil"\n', r"broker\.host"),
])
def test_a_wrong_agent_login_is_refused(tmp_path, body, what):
    cfg, creds = tmp_path / "kiosk.toml", tmp_path / "agent.toml"
    cfg.write_text(KIOSK)
    creds.write_text(body)
    with pytest.raises(SettingsError, match=what):
        load_settings(cfg, creds)
