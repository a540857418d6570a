"""Unit files named as systemd/README.md names them, for tests run before systemd/ lands."""

from __future__ import annotations

from pathlib import Path

UNIT_NAMES = ("kiosk-ui.service", "kiosk-agent.service", "kiosk-ui-restart.path",
              "kiosk-reboot.path", "kiosk-ui-restart.service", "kiosk-out-of-service.service",
              "kiosk-nightly-restart.timer")


def fixture_units(folder: Path) -> Path:
    """Unit files named as systemd/README.md names them, until systemd/ lands on main."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in UNIT_NAMES:
        install = ("\n[Install]\nWantedBy=multi-user.target\n"
                   if name in ("kiosk-ui.service", "kiosk-agent.service",
                               "kiosk-ui-restart.path", "kiosk-reboot.path") else "")
        if name.endswith(".timer"):
            install = "\n[Install]\nWantedBy=timers.target\n"
        folder.joinpath(name).write_text(f"[Unit]\nDescription=fixture {name}\n{install}")
    (folder / "kiosk-ui.service.d").mkdir(exist_ok=True)
    (folder / "kiosk-ui.service.d" / "10-site.conf").write_text("[Service]\nNice=-5\n")
    (folder / "pam").mkdir(exist_ok=True)
    (folder / "pam" / "kiosk-ui").write_text("auth required pam_unix.so\n")
    (folder / "README.md").write_text("not installed\n")
    return folder
