"""Users and groups written into a root's /etc directly: right on a bare root, and an
existing kiosk user with a login shell or sudo rights is corrected."""

from __future__ import annotations

from pathlib import Path

from provisioning import users
from provisioning.files import Root

PASSWD = ("root:x:0:0:root:/root:/bin/bash\n"
          "kiosk:x:1000:1000:old kiosk:/home/kiosk:/bin/bash\n")
GROUP = "root:x:0:\nsudo:x:27:kiosk\nshadow:x:42:\nvideo:x:44:\nkiosk:x:1000:\n"
SHADOW = "root:*:19000:0:99999:7:::\nkiosk:$y$j9T$hash:19000:0:99999:7:::\n"


def make_root(tmp_path: Path, passwd: str, group: str, shadow: str) -> Root:
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "passwd").write_text(passwd)
    (etc / "group").write_text(group)
    (etc / "shadow").write_text(shadow)
    (etc / "gshadow").write_text("".join(f"{line.split(':')[0]}:*::\n"
                                         for line in group.splitlines()))
    return Root(tmp_path)


def rows(root: Root, table: str) -> dict[str, list[str]]:
    return {line.split(":")[0]: line.split(":")
            for line in (root / f"/etc/{table}").read_text().splitlines()}


def test_a_bare_root_gets_both_users_and_every_group(tmp_path: Path) -> None:
    root = make_root(tmp_path, "root:x:0:0:root:/root:/bin/bash\n", "root:x:0:\n",
                     "root:*:19000:0:99999:7:::\n")
    assert "user kiosk missing" in users.check(root)
    users.apply(root)
    assert users.check(root) == []
    passwd, group = rows(root, "passwd"), rows(root, "group")
    for name in ("kiosk", "kiosk-agent"):
        assert passwd[name][6] == "/usr/sbin/nologin" and passwd[name][1] == "x"
        assert passwd[name][3] == group[name][2]  # its own primary group
        assert 100 <= int(passwd[name][2]) < 1000  # a system user
        assert rows(root, "shadow")[name][1] == "!"  # no password, locked
    assert group["kiosk-devices"][3] == "kiosk"  # only the UI user has the devices
    assert {"video", "render", "input", "audio", "systemd-journal"} <= group.keys()
    assert rows(root, "gshadow")["kiosk-devices"][3] == "kiosk"
    assert (root / "/etc/passwd").read_text().startswith("root:x:0:0:")
    first = {t: (root / f"/etc/{t}").read_bytes() for t in ("passwd", "group", "shadow")}
    users.apply(root)  # idempotent: the same bytes
    assert {t: (root / f"/etc/{t}").read_bytes() for t in first} == first


def test_an_existing_kiosk_user_loses_its_shell_password_and_sudo(tmp_path: Path) -> None:
    root = make_root(tmp_path, PASSWD, GROUP, SHADOW)
    found = users.check(root)
    assert "user kiosk: shell /bin/bash, want /usr/sbin/nologin" in found
    assert "user kiosk: member of sudo, must not be" in found
    assert "user kiosk: has a usable password, want locked" in found
    users.apply(root)
    assert users.check(root) == []
    assert rows(root, "passwd")["kiosk"][2] == "1000"  # its uid is kept (files it owns)
    assert rows(root, "group")["sudo"][3] == ""
    assert rows(root, "shadow")["kiosk"][1].startswith("!")


def test_a_sudoers_line_is_reported_not_silently_kept(tmp_path: Path) -> None:
    root = make_root(tmp_path, PASSWD, GROUP, SHADOW)
    (tmp_path / "etc/sudoers.d").mkdir()
    (tmp_path / "etc/sudoers.d/kiosk").write_text("kiosk ALL=(ALL) NOPASSWD: ALL\n")
    users.apply(root)
    assert users.check(root) == [f"user kiosk: named in {tmp_path}/etc/sudoers.d/kiosk, "
                                 "must not be"]
