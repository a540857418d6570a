"""`python -m provisioning enroll` into a copy of a real Debian 12 root, the app installed
for real once; the other tests start from that root or from a fresh copy of Debian."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from fleet import enroll
from kiosk.config import load_config
from provisioning.__main__ import SOURCE
from provisioning.system import (
    CAGE_ENV,
    JOURNALD,
    LOGIND,
    SLEEP_TARGETS,
)
from tests.provisioning.debian_root import copy_root
from tests.provisioning.enrolling import (
    VERSION,
    changed,
    enroll_args,
    passwd_of,
    run,
    snapshot,
    units_dir,
)

pytestmark = pytest.mark.timeout(600)


def owner(root: Path, path: str) -> tuple[str, str, int]:
    """(user, group, mode) of a path, named from the root's own /etc files."""
    info = (root / path.lstrip("/")).lstat()
    names = {}
    for table in ("passwd", "group"):
        rows = (root / "etc" / table).read_text().splitlines()
        names[table] = {int(r.split(":")[2]): r.split(":")[0] for r in rows}
    return names["passwd"][info.st_uid], names["group"][info.st_gid], stat.S_IMODE(info.st_mode)


REL = f"/opt/kiosk/releases/{VERSION}"
UNITS = "/etc/systemd/system"
EXPECTED_OWNERS = {
    "/etc/kiosk": ("root", "kiosk", 0o750),
    "/etc/kiosk/kiosk.toml": ("root", "kiosk", 0o640),
    "/etc/kiosk/cage.env": ("root", "root", 0o644),
    "/etc/kiosk/enrollment.json": ("root", "root", 0o600),
    "/etc/kiosk/provisioning.json": ("root", "root", 0o600),
    "/etc/kiosk/tls": ("root", "root", 0o755),
    "/etc/kiosk/tls/client.key": ("kiosk-agent", "kiosk-agent", 0o600),
    "/etc/kiosk/tls/client.crt": ("root", "root", 0o644),
    "/etc/kiosk/tls/ca.crt": ("root", "root", 0o644),
    "/etc/udev/rules.d/70-kiosk-devices.rules": ("root", "root", 0o644),
    "/etc/systemd/logind.conf.d/kiosk.conf": ("root", "root", 0o644),
    "/etc/systemd/journald.conf.d/kiosk.conf": ("root", "root", 0o644),
    "/etc/default/grub.d/kiosk.cfg": ("root", "root", 0o644),
    "/etc/pam.d/kiosk-ui": ("root", "root", 0o644),
    "/var/log/journal": ("root", "systemd-journal", 0o2755),
    "/etc/passwd": ("root", "root", 0o644),
    "/etc/group": ("root", "root", 0o644),
    "/etc/shadow": ("root", "shadow", 0o640),
    "/etc/gshadow": ("root", "shadow", 0o640),
}
LINKS = {
    "/opt/kiosk/current": f"releases/{VERSION}",
    f"{UNITS}/getty@tty1.service": "/dev/null",
    **{f"{UNITS}/{t}": "/dev/null" for t in SLEEP_TARGETS},
    **{f"{UNITS}/multi-user.target.wants/{u}": f"{UNITS}/{u}" for u in
       ("kiosk-ui.service", "kiosk-agent.service", "kiosk-ui-restart.path",
        "kiosk-reboot.path")},
}


def test_enroll_installs_the_app_and_writes_every_file(enrolled) -> None:
    root, out, units = enrolled["root"], enrolled["out"], enrolled["units"]
    assert enrolled["code"] == 0, out
    assert "done: 10 step(s) changed" in out
    for path, want in EXPECTED_OWNERS.items():
        assert owner(root, path) == want, path
    for path, target in LINKS.items():
        assert os.readlink(root / path.lstrip("/")) == target, path
    unit_files = {f"{UNITS}/{p.name}" for p in units.iterdir() if p.suffix in
                  (".service", ".timer", ".path")}
    for path in unit_files:
        assert (root / path.lstrip("/")).read_bytes() == (units / Path(path).name).read_bytes()
        assert owner(root, path) == ("root", "root", 0o644)
    assert not (root / f"{UNITS}/timers.target.wants/kiosk-nightly-restart.timer").exists()
    drop_ins = {f"{UNITS}/{p.parent.name}/{p.name}" for p in units.glob("*.d/*.conf")}
    assert drop_ins or units == SOURCE / "systemd"
    # Nothing else is written: every new or changed path is one of the above.
    known = (set(EXPECTED_OWNERS) | set(LINKS) | unit_files | drop_ins
             | {f"{UNITS}/{p.name}" for p in units.glob("*.d")})
    known |= {"/opt/kiosk", "/opt/kiosk/releases", REL, f"{REL}/release.json", f"{REL}/venv",
              f"{REL}/wheels", f"{REL}/wheels/selfservice_kiosk-{VERSION}-py3-none-any.whl",
              "/etc/udev", "/etc/udev/rules.d", "/etc/default/grub.d",
              "/etc/systemd/logind.conf.d", "/etc/systemd/journald.conf.d"}
    written = changed(enrolled["before"], snapshot(root))
    copies = {f"{REL}/config", f"{REL}/config/kiosk.toml", f"{REL}/systemd"}
    copies |= {f"{REL}/systemd/{p.relative_to(units)}" for p in units.rglob("*")}
    assert written - known - copies == set()
    assert (root / f"{REL}/config/kiosk.toml".lstrip("/")).read_bytes() == (
        SOURCE / "config" / "kiosk.toml").read_bytes()

    assert (root / "etc/kiosk/cage.env").read_text() == CAGE_ENV
    assert (root / "etc/systemd/logind.conf.d/kiosk.conf").read_text() == LOGIND
    assert (root / "etc/systemd/journald.conf.d/kiosk.conf").read_text() == JOURNALD
    assert "consoleblank=0" in (root / "etc/default/grub.d/kiosk.cfg").read_text()
    assert json.loads((root / REL.lstrip("/") / "release.json").read_text())["version"] == VERSION


def test_the_config_loads_with_the_kiosk_model(enrolled) -> None:
    root = enrolled["root"]
    config = load_config(root / "etc/kiosk/kiosk.toml")
    assert (config.terminal.id, config.terminal.site) == ("SZFT-0042", "futian-hall")
    assert config.devices.idcard.port == "/dev/kiosk/idcard"
    assert config.devices.printer.port == "/dev/kiosk/printer"
    assert config.devices.queue is not None and config.devices.queue.port == "/dev/kiosk/queue"
    assert (config.broker.host, config.broker.port, config.broker.tls) == (
        "mqtt.example.gov.cn", 8883, True)
    assert str(config.broker.ca_file) == "/etc/kiosk/tls/ca.crt"
    assert config.broker.username == "SZFT-0042" and len(config.broker.password) >= 20
    assert config.display.fullscreen and str(config.paths.data_dir) == "/var/lib/kiosk"
    # the console's own derivation of this terminal's command key
    from common.command_signing import terminal_key
    from fleet.provision import fleet_key
    fleet = enrolled["console"].folder
    assert config.fleet.command_key == terminal_key(fleet_key(fleet), "SZFT-0042").hex()
    assert "SZFT-0042:" in passwd_of(fleet)  # the broker login exists


def test_the_key_stays_here_and_the_certificate_is_the_fleet_cas(enrolled) -> None:
    root, fleet = enrolled["root"], enrolled["console"].folder
    key = serialization.load_pem_private_key(
        (root / "etc/kiosk/tls/client.key").read_bytes(), password=None)
    cert = x509.load_pem_x509_certificate((root / "etc/kiosk/tls/client.crt").read_bytes())
    ca = x509.load_pem_x509_certificate(enroll.ca_files(fleet)[0].read_bytes())
    assert cert.public_key() == key.public_key()
    cert.verify_directly_issued_by(ca)
    assert cert.subject.rfc4514_string() == "CN=SZFT-0042"
    assert (root / "etc/kiosk/tls/ca.crt").read_bytes() == enroll.ca_files(fleet)[0].read_bytes()
    pem = (root / "etc/kiosk/tls/client.key").read_bytes()
    assert not any(pem in p.read_bytes() for p in fleet.rglob("*") if p.is_file())


def test_users_pass_debians_own_checks(enrolled) -> None:
    root = enrolled["root"]
    for tool in ("pwck", "grpck"):
        result = subprocess.run(["chroot", str(root), tool, "-r"], capture_output=True,
                                text=True)
        # pwck -r warns about home directories systemd creates at first start; nothing else
        problems = [line for line in (result.stdout + result.stderr).splitlines()
                    if "directory" not in line and line.strip()
                    and not line.endswith("no changes")]
        assert problems == [], (tool, result.stdout, result.stderr)
    ident = subprocess.run(["chroot", str(root), "id", "kiosk"], capture_output=True,
                           text=True, check=True).stdout
    assert "kiosk-devices" in ident and "sudo" not in ident
    agent = subprocess.run(["chroot", str(root), "id", "kiosk-agent"], capture_output=True,
                           text=True, check=True).stdout
    assert "kiosk-devices" not in agent
    passwd = (root / "etc/passwd").read_text()
    assert "kiosk:x:" in passwd and "/usr/sbin/nologin" in passwd.split("kiosk:x:")[1]
    shadow = dict(line.split(":", 2)[:2] for line in (root / "etc/shadow").read_text()
                  .splitlines())
    assert shadow["kiosk"].startswith("!") and shadow["kiosk-agent"].startswith("!")


def test_the_release_venv_runs_the_app_inside_the_root(enrolled) -> None:
    root = enrolled["root"]
    result = subprocess.run(
        ["chroot", str(root), "/opt/kiosk/current/venv/bin/python", "-c",
         "import kiosk.config, fleet.provision, provisioning, serial, paho.mqtt, kivy;"
         "print(kiosk.config.load_config('/etc/kiosk/kiosk.toml').terminal.id)"],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "SZFT-0042"


def test_a_second_run_changes_nothing(enrolled, tmp_path: Path) -> None:
    root = copy_root(enrolled["root"], tmp_path / "root")
    before = snapshot(root)
    code, out = run(*[str(root) if a == str(enrolled["root"]) else a for a in enrolled["args"]])
    assert code == 0, out
    assert out.count("already right, unchanged") == 10, out
    assert "done: nothing to change" in out
    after = snapshot(root)
    assert changed(before, after) == set()


def test_check_reports_a_tampered_file_and_exits_non_zero(enrolled, tmp_path: Path) -> None:
    root = copy_root(enrolled["root"], tmp_path / "root")
    code, out = run("check", "--root", str(root))
    assert code == 0, out
    assert "the machine matches the plan" in out
    # Tampering by replacing (the copy shares inodes with the enrolled root)
    rules = root / "etc/udev/rules.d/70-kiosk-devices.rules"
    text = rules.read_text().replace('MODE="0660"', 'MODE="0666"')
    rules.unlink()
    rules.write_text(text)
    toml = root / "etc/kiosk/kiosk.toml"
    body = toml.read_bytes()
    toml.unlink()
    toml.write_bytes(body)
    toml.chmod(0o644)
    (root / "etc/systemd/system/multi-user.target.wants/kiosk-agent.service").unlink()
    code, out = run("check", "--root", str(root))
    assert code == 1
    assert f"DIFFERS udev rules: {rules}: content differs" in out
    assert f"DIFFERS kiosk config: {toml}: mode 0644, want 0640" in out
    assert "multi-user.target.wants/kiosk-agent.service: symlink missing" in out
    assert "3 step(s) differ from the plan" in out


def test_dry_run_writes_nothing(base: Path, console, tmp_path: Path) -> None:
    root = copy_root(base, tmp_path / "root")
    before = snapshot(root)
    token = console.token_file("SZFT-0042", tmp_path / "token")
    code, out = run(*enroll_args(root, console, token, units_dir(tmp_path), "--dry-run"))
    assert code == 0, out
    assert snapshot(root) == before
    assert out.count(": would change (") == 10, out
    assert "dry run: nothing was written" in out
    assert "SZFT-0042" not in passwd_of(console.folder)  # nothing enrolled


def test_a_failure_part_way_says_what_was_done_and_a_rerun_completes(
        enrolled, base: Path, console, tmp_path: Path) -> None:
    root = copy_root(base, tmp_path / "root")
    # the release the module's enrollment installed, so this test does not install it again
    subprocess.run(["cp", "-a", str(enrolled["root"] / "opt"), str(root)], check=True)
    wrong = console.token_file("SZFT-9999", tmp_path / "wrong-token")  # another terminal's
    args = enroll_args(root, console, wrong, units_dir(tmp_path))
    code, out = run(*args)
    assert code == 1
    assert "[4/10] enrollment with the console: FAILED: console" in out
    assert "HTTP 401" in out
    assert "changed in this run: users and groups, terminal key" in out
    assert "not done: enrollment with the console, kiosk config, udev rules" in out
    assert "run the same command again" in out
    assert not (root / "etc/kiosk/kiosk.toml").exists()
    key = (root / "etc/kiosk/tls/client.key").read_bytes()

    good = console.token_file("SZFT-0042", tmp_path / "token")
    code, out = run(*[str(good) if a == str(wrong) else a for a in args])
    assert code == 0, out
    assert "[1/10] users and groups: already right" in out
    assert "[3/10] terminal key: already right" in out
    assert "[4/10] enrollment with the console: changed" in out
    assert (root / "etc/kiosk/tls/client.key").read_bytes() == key  # the same key enrolled
    code, out = run("check", "--root", str(root))
    assert code == 0, out
