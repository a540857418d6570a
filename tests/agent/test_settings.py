import pytest

from agent.settings import SettingsError, load_settings


def test_reads_only_what_it_needs_and_ignores_the_rest(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[terminal]\nid = "T-1"\nsite = "hall"\nlanguage = "fr"\n'
                   '[broker]\nport = 8883\ntls = true\n[unknown]\nx = 1\n')
    s = load_settings(cfg)
    assert (s.terminal.id, s.broker.port, s.broker.tls) == ("T-1", 8883, True)


def test_says_what_is_wrong(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[terminal]\nid = "bad id"\nsite = "hall"\n')
    with pytest.raises(SettingsError, match=r"terminal\.id"):
        load_settings(cfg)
    cfg.write_text("not toml [")
    with pytest.raises(SettingsError):
        load_settings(cfg)
