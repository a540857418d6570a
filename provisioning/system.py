"""What a terminal's operating system needs besides the app: seat and tty, journal, units.

The unit files themselves belong to systemd/ (kiosk-ui.service runs cage on tty1);
this module installs them as they are and writes the pieces around them.
"""

from __future__ import annotations

import re
from pathlib import Path

from provisioning.files import Absent, Dir, File, Item, Link

UNIT_DIR = "/etc/systemd/system"
# systemd/README.md: enabled ones; kiosk-out-of-service and kiosk-ui-restart.service are
# started by other units, the nightly timer only with --nightly-restart.
ENABLED = ("kiosk-ui.service", "kiosk-agent.service", "kiosk-ui-restart.path",
           "kiosk-reboot.path")
NIGHTLY = "kiosk-nightly-restart.timer"
UNIT_SUFFIXES = (".service", ".timer", ".path")

# Environment of the UI under cage: kiosk-ui.service reads it (EnvironmentFile=-) and
# sets KIVY_NO_ARGS and KIVY_HOME itself.
CAGE_ENV = """\
# Written by `python -m provisioning enroll`: the UI's environment under cage on tty1.
# Kivy on Wayland through SDL2, no cursor, Escape does not quit, no screensaver.
SDL_VIDEODRIVER=wayland
KIVY_WINDOW=sdl2
KCFG_GRAPHICS_SHOW_CURSOR=0
KCFG_KIVY_EXIT_ON_ESCAPE=0
SDL_VIDEO_ALLOW_SCREENSAVER=0
# cage switches VTs only with -s (the unit does not give it); xkb's server keys
# (Ctrl+Alt+F1..F12, Ctrl+Alt+Backspace) are switched off as well.
XKB_DEFAULT_OPTIONS=srvrkeys:none
"""

# logind: no login prompts on other VTs, no key or lid puts the terminal to sleep.
LOGIND = """\
# Written by `python -m provisioning enroll`: a kiosk never offers a console login
# on another VT and no key, lid or idle timer suspends it.
[Login]
NAutoVTs=0
ReserveVT=0
HandlePowerKey=ignore
HandleSuspendKey=ignore
HandleHibernateKey=ignore
HandleLidSwitch=ignore
HandleLidSwitchExternalPower=ignore
HandleLidSwitchDocked=ignore
IdleAction=ignore
"""

# Kernel command line: the text console never blanks, no blinking cursor on it, USB
# devices (the card reader) never suspended. update-grub reads /etc/default/grub.d/.
GRUB = """\
# Written by `python -m provisioning enroll`; takes effect after update-grub and a reboot.
GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT consoleblank=0 \
vt.global_cursor_default=0 usbcore.autosuspend=-1"
"""

JOURNALD = """\
# Written by `python -m provisioning enroll`: a journal that survives reboots and
# never fills the disk (the agent sends its last lines when the UI fails).
[Journal]
Storage=persistent
SystemMaxUse=200M
SystemKeepFree=1G
SystemMaxFileSize=20M
MaxRetentionSec=3month
"""

SLEEP_TARGETS = ("sleep.target", "suspend.target", "hibernate.target",
                 "hybrid-sleep.target", "suspend-then-hibernate.target")


def seat_items() -> list[Item]:
    items: list[Item] = [
        Dir("/etc/kiosk", 0o750, "root", "kiosk"),
        File("/etc/kiosk/cage.env", CAGE_ENV.encode(), 0o644),
        Dir("/etc/systemd/logind.conf.d"),
        File("/etc/systemd/logind.conf.d/kiosk.conf", LOGIND.encode(), 0o644),
        Dir("/etc/default/grub.d"),
        File("/etc/default/grub.d/kiosk.cfg", GRUB.encode(), 0o644),
        # cage owns tty1: no getty there (masked, and its Debian wants link removed)
        Absent(f"{UNIT_DIR}/getty.target.wants/getty@tty1.service"),
        Link(f"{UNIT_DIR}/getty@tty1.service", "/dev/null"),
    ]
    items += [Link(f"{UNIT_DIR}/{target}", "/dev/null") for target in SLEEP_TARGETS]
    return items


def journal_items() -> list[Item]:
    return [Dir("/etc/systemd/journald.conf.d"),
            File("/etc/systemd/journald.conf.d/kiosk.conf", JOURNALD.encode(), 0o644),
            Dir("/var/log/journal", 0o2755, "root", "systemd-journal")]


def _wanted_by(text: str) -> list[str]:
    install = re.search(r"^\[Install\](.*?)(?=^\[|\Z)", text, re.M | re.S)
    if not install:
        return []
    return [t for line in install.group(1).splitlines()
            if line.strip().startswith("WantedBy=") for t in line.split("=", 1)[1].split()]


def unit_items(units: Path, nightly: bool) -> list[Item]:
    """Every unit and drop-in of systemd/ copied as it is; the enabled ones linked."""
    if not units.is_dir():
        raise FileNotFoundError(f"{units}: no systemd units folder (--units DIR)")
    items: list[Item] = [Dir(UNIT_DIR)]
    for path in sorted(units.iterdir()):
        if path.is_file() and path.suffix in UNIT_SUFFIXES:
            items.append(File(f"{UNIT_DIR}/{path.name}", path.read_bytes(), 0o644))
        elif path.is_dir() and path.name.endswith(".d"):
            items.append(Dir(f"{UNIT_DIR}/{path.name}"))
            items += [File(f"{UNIT_DIR}/{path.name}/{conf.name}", conf.read_bytes(), 0o644)
                      for conf in sorted(path.glob("*.conf"))]
    pam = units / "pam" / "kiosk-ui"
    if pam.is_file():
        items.append(File("/etc/pam.d/kiosk-ui", pam.read_bytes(), 0o644))
    for name in (*ENABLED, *((NIGHTLY,) if nightly else ())):
        unit = units / name
        if not unit.is_file():
            raise FileNotFoundError(f"{unit}: a unit the terminal enables is missing")
        for target in _wanted_by(unit.read_text()):
            items.append(Link(f"{UNIT_DIR}/{target}.wants/{name}", f"{UNIT_DIR}/{name}"))
    return items
