"""Kivy settings that must be made before Kivy creates its window.

The window size, and the CJK font as Kivy's default font: Kivy's Roboto has no
Chinese glyphs, so every label would show boxes.
"""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.config import ConfigError, KioskConfig
from ui.lockdown import lock_kivy_config


def prepare_kivy(config: KioskConfig) -> None:
    if not config.display.font.is_file():
        raise ConfigError(f"display.font: font file not found: {config.display.font}")
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    # Kivy's own console handler would print every record a second time, in colour.
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_HOME", str(Path(config.paths.data_dir).resolve() / "kivy"))
    from kivy.config import Config

    Config.set("graphics", "width", str(config.display.width))
    Config.set("graphics", "height", str(config.display.height))
    Config.set("graphics", "fullscreen", "auto" if config.display.fullscreen else "0")
    Config.set("graphics", "resizable", "0")
    Config.set("kivy", "log_level", config.terminal.log_level.lower())
    Config.set("kivy", "log_enable", "0")  # no second copy in KIVY_HOME/logs
    lock_kivy_config()  # no Escape exit, no Kivy modules, no multitouch emulation
    from kivy.core.text import DEFAULT_FONT, LabelBase

    LabelBase.register(DEFAULT_FONT, str(config.display.font))
