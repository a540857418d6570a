"""The enrollment plan: which steps, in which order, writing what."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from provisioning import enrollment, install, kiosk_toml, system, users
from provisioning.devices import RULES_PATH, UsbDevice, rules
from provisioning.files import Dir, File, Item, Root, apply_items, check_items
from provisioning.plan import Step

CONFIG = "/etc/kiosk/kiosk.toml"
PLAN_RECORD = "/etc/kiosk/provisioning.json"  # the enroll's options, for `check` (root only)
STABLE_PORTS = {"idcard": "/dev/kiosk/idcard", "printer": "/dev/kiosk/printer",
                "queue": "/dev/kiosk/queue"}


@dataclass
class Options:
    root: Root
    source: Path  # the project checkout: config/kiosk.toml, systemd/, the app itself
    request: enrollment.Request
    devices: dict[str, UsbDevice]
    units: Path
    version: str
    wheelhouse: Path | None = None
    skip_packages: bool = False  # tests and pre-built images only (README)
    nightly_restart: bool = False
    display: tuple[int, int] = (1080, 1920)
    backend: dict[str, str] = field(default_factory=dict)  # url / app_key / app_secret


def plan_record(opts: Options) -> bytes:
    req = opts.request
    record = {"terminal_id": req.terminal_id, "site": req.site, "broker": req.broker,
              "console": req.console,
              "console_ca": str(req.console_ca) if req.console_ca else None,
              "devices": {role: dev.model_dump() for role, dev in opts.devices.items()},
              "release": opts.version, "display": list(opts.display),
              "nightly_restart": opts.nightly_restart, "skip_packages": opts.skip_packages,
              "backend": opts.backend}
    return (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode()


def from_record(root: Root, source: Path | None, units: Path | None) -> Options:
    """The options an earlier enroll recorded; the source is the release's own copy."""
    try:
        raw = json.loads((root / PLAN_RECORD).read_text())
    except FileNotFoundError:
        raise FileNotFoundError(f"{root / PLAN_RECORD}: missing; this machine was never "
                                "enrolled (run `python -m provisioning enroll`)") from None
    share = root / install.release_dir(raw["release"])
    req = enrollment.Request(raw["terminal_id"], raw["site"], raw["broker"], raw["console"],
                             None, Path(raw["console_ca"]) if raw["console_ca"] else None)
    return Options(
        root=root, source=source or share, request=req,
        devices={role: UsbDevice.model_validate(d) for role, d in raw["devices"].items()},
        units=units or (source / "systemd" if source else share / "systemd"),
        version=raw["release"], skip_packages=raw["skip_packages"],
        nightly_restart=raw["nightly_restart"], display=tuple(raw["display"]),
        backend=raw["backend"])


def render_config(opts: Options, record: dict[str, str]) -> bytes:
    host, _, port = opts.request.broker.rpartition(":")
    settings: dict[str, dict[str, object]] = {
        "terminal": {"id": opts.request.terminal_id, "site": opts.request.site},
        "broker": {"host": host, "port": int(port), "heartbeat_s": 300, "tls": True,
                   "ca_file": enrollment.CA, "username": record["username"],
                   "password": record["password"]},
        "fleet": {"command_key": record["command_key"]},
        "display": {"width": opts.display[0], "height": opts.display[1],
                    "fullscreen": True},
        "paths": {"data_dir": "/var/lib/kiosk"},
    }
    if opts.backend:
        settings["backend"] = dict(opts.backend)
    for role in ("idcard", "printer", "queue"):
        if role in opts.devices:
            settings[f"devices.{role}"] = {"port": STABLE_PORTS[role]}
    drop = () if "queue" in opts.devices else ("devices.queue",)
    example = (opts.source / "config" / "kiosk.toml").read_text()
    return kiosk_toml.render(example, settings, drop).encode()


def _config_items(opts: Options) -> list[Item]:
    record = enrollment.read_record(opts.root)
    if record is None:
        return []
    return [File(CONFIG, render_config(opts, record), 0o640, "root", "kiosk")]


def _config_check(opts: Options) -> list[str]:
    items = _config_items(opts)
    if not items:
        return [f"{opts.root / CONFIG}: rendered once the terminal is enrolled"]
    return check_items(opts.root, items)


def _files_step(name: str, writes: str, root: Root, make: object) -> Step:
    """A step that is a list of files, dirs and links (``make`` builds the list)."""
    return Step(name, writes, lambda: check_items(root, make()),  # type: ignore[operator]
                lambda: apply_items(root, make()))  # type: ignore[operator]


def build(opts: Options) -> list[Step]:
    root, req = opts.root, opts.request
    steps = []
    if not opts.skip_packages:
        steps.append(Step("Debian packages", "apt-get install " + " ".join(install.PACKAGES),
                          lambda: install.packages_check(root),
                          lambda: install.packages_apply(root)))
    steps += [
        Step("users and groups", "/etc/passwd, /etc/group, /etc/shadow, /etc/gshadow",
             lambda: users.check(root), lambda: users.apply(root)),
        Step(f"application release {opts.version}",
             f"{install.release_dir(opts.version)}/venv, {install.CURRENT} ->",
             lambda: install.release_check(root, opts.version),
             lambda: install.release_apply(root, opts.version, opts.source, opts.units,
                                                 opts.wheelhouse)),
        Step("terminal key", f"{enrollment.KEY} (made here, 0600 kiosk-agent)",
             lambda: enrollment.key_check(root), lambda: enrollment.key_apply(root)),
        Step("enrollment with the console", f"POST {req.console}/api/enroll; "
             f"{enrollment.RECORD}, {enrollment.CERT}, {enrollment.CA}",
             lambda: enrollment.enroll_check(root, req),
             lambda: enrollment.enroll_apply(root, req)),
        Step("kiosk config", f"{CONFIG} (0640 root:kiosk)", lambda: _config_check(opts),
             lambda: apply_items(root, _config_items(opts))),
        _files_step("udev rules", RULES_PATH, root, lambda: [
            Dir("/etc/udev"), Dir("/etc/udev/rules.d"),
            File(RULES_PATH, rules(opts.devices).encode(), 0o644)]),
        _files_step("seat, tty and power", "cage.env, logind.conf.d, grub.d, getty@tty1 "
                    "and sleep targets masked", root, system.seat_items),
        _files_step("persistent journal", "journald.conf.d/kiosk.conf, /var/log/journal",
                    root, system.journal_items),
        _files_step("systemd units", f"{system.UNIT_DIR}: the units of systemd/, enabled",
                    root, lambda: system.unit_items(opts.units, opts.nightly_restart)),
        _files_step("plan record", f"{PLAN_RECORD} (what `check` compares with)", root,
                    lambda: [File(PLAN_RECORD, plan_record(opts), 0o600)]),
    ]
    return steps
