"""Wires the fleet reporter into the running kiosk app (no Kivy import here).

The app calls ``start_fleet_link(app, post)`` once in ``build``. Commands arrive on
the reporter's command thread; anything that touches widgets is posted to the UI
thread and waited for with a timeout.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from common.command_signing import Refused
from kiosk.config import load_config
from kiosk.fleet.feed import JournalFeed
from kiosk.fleet.health import Snapshot, device_view
from kiosk.fleet.locate import play_locate_sound
from kiosk.fleet.reporter import FleetReporter
from kiosk.fleet.store import TerminalStore
from kiosk.session import Phase

log = logging.getLogger(__name__)
UI_TIMEOUT_S = 10.0


def config_hash(config: Any) -> str:
    """Which configuration a terminal runs, comparable across the fleet."""
    return hashlib.sha256(config.model_dump_json().encode()).hexdigest()[:12]


class AppLink:
    """The kiosk as remote commands see it (kiosk.fleet.commands.Terminal)."""

    def __init__(self, app: Any, post: Callable[[Callable[[], None]], None]):
        self.app = app
        self._post = post

    def on_ui(self, fn: Callable[[], Any]) -> Any:
        """Run fn on the UI thread and wait for its result."""
        done, box = threading.Event(), {}

        def run() -> None:
            try:
                box["value"] = fn()
            except Exception as exc:
                box["error"] = exc
            done.set()

        self._post(run)
        if not done.wait(UI_TIMEOUT_S):
            raise TimeoutError("the UI thread did not answer")
        if "error" in box:
            raise box["error"]
        return box.get("value")

    def in_session(self) -> bool:
        return self.app.session.phase not in (Phase.IDLE, Phase.ENDED)

    def set_out_of_service(self, on: bool) -> None:
        saved = self.on_ui(lambda: self.app.set_out_of_service(on))
        if saved is not None:  # answered only once the setting is on disk
            saved.result(timeout=UI_TIMEOUT_S)

    def test_print(self) -> str:
        printer = self.app.hub.statuses.get("printer")
        if printer is None or not printer.usable:
            raise RuntimeError(f"printer not usable ({printer.state.value if printer else '?'})")
        cfg = self.app.config_model
        self.app.hub.print_image(test_page(cfg.terminal.id, str(cfg.display.font),
                                           cfg.devices.printer.width_dots,
                                           self.app.local_clock.now()))
        return "test page printed"

    def screenshot(self) -> bytes:
        folder = Path(self.app.config_model.paths.data_dir) / "fleet"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "remote-screenshot.png"
        self.on_ui(lambda: self.app.root_widget.export_to_png(str(path)))
        with Image.open(path) as img:  # half size: a screenshot is for recognising, not pixels
            small = img.convert("RGB").resize((img.width // 2, img.height // 2))
        out = folder / "remote-screenshot-small.png"
        small.save(out, optimize=True)
        return out.read_bytes()

    def reload_config(self) -> str:
        path = getattr(self.app, "config_path", None)
        if not path:
            raise Refused("the kiosk was started without a configuration file")
        new = load_config(path)  # a broken file raises ConfigError: answered, nothing applied
        old = self.app.config_model
        changed = [k for k in type(old).model_fields if getattr(new, k) != getattr(old, k)]
        live = [k for k in changed if k == "session"]
        if live:
            self.app.session.config = new.session  # timeouts apply from the next tick
        later = [k for k in changed if k not in live]
        return (f"applied: {', '.join(live) or 'nothing'}; "
                f"needs a restart: {', '.join(later) or 'nothing'}")

    def locate(self, seconds: float) -> str:
        seconds = max(1.0, min(seconds, 300.0))
        self.on_ui(lambda: self.app.locate(seconds))
        sound = play_locate_sound(self.app.config_model.terminal.language)
        return f"flashing for {seconds:.0f} s; sound: {sound}"

    def reboot(self) -> str:
        argv = self.app.config_model.fleet.reboot_command
        reporter = self.app.health
        if not argv:
            log.warning("reboot requested: no fleet.reboot_command configured (demo): logged only")
            return "demo: no reboot_command configured, logged only"

        def later() -> None:  # let the answer leave first, then reboot
            reporter.wait_delivered(timeout=5)
            subprocess.Popen(argv)  # the operator configured it

        threading.Thread(target=later, name="reboot", daemon=True).start()
        return f"rebooting: {' '.join(argv)}"


def test_page(terminal_id: str, font_path: str, width: int, now: datetime) -> Image.Image:
    img = Image.new("1", (width, 160), 1)
    draw = ImageDraw.Draw(img)
    try:
        font = ImageFont.truetype(font_path, 28)
    except OSError:
        font = ImageFont.load_default()
    draw.text((10, 10), "测试打印 TEST PRINT", font=font, fill=0)
    draw.text((10, 60), terminal_id, font=font, fill=0)
    draw.text((10, 110), now.strftime("%Y-%m-%d %H:%M:%S"), font=font, fill=0)
    return img


def start_fleet_link(app: Any, post: Callable[[Callable[[], None]], None]) -> FleetReporter:
    """Create the store, the reporter, the journal feed and commands (``start`` connects)."""
    cfg = app.config_model
    store = TerminalStore(Path(cfg.paths.data_dir) / "fleet" / "terminal.sqlite",
                          max_rows=cfg.fleet.outbox_max)

    def snapshot() -> Snapshot:
        return Snapshot(
            devices={n: device_view(s) for n, s in app.hub.statuses.items()},
            screen=app.screens.current if getattr(app, "screens", None) else "",
            in_session=app.session.phase not in (Phase.IDLE, Phase.ENDED),
            out_of_service=bool(app.out_of_service),
            staff_called=bool(getattr(app, "staff_called", False)),
        )

    from kiosk import __version__
    from kiosk.fleet.commands import CommandHandler

    reporter = FleetReporter(cfg.broker, cfg.terminal.site, cfg.terminal.id, __version__,
                             store, snapshot, config_hash=config_hash(cfg))
    key = bytes.fromhex(cfg.fleet.command_key) if cfg.fleet.command_key else None
    reporter.commands = CommandHandler(key, cfg.terminal.id, store, AppLink(app, post),
                                       reporter.rebirth, reporter.send_screenshot)
    # The statistics are the journal's rows: one record, read as it grows.
    reporter.feed = JournalFeed(app.journal, store)
    app.journal.listeners.append(reporter.poke)
    return reporter
