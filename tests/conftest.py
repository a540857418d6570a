"""Test-wide settings. Kivy renders offscreen with full OpenGL: no display needed.

These must be set before anything imports Kivy (see docs/platform.md): the
`dummy` SDL driver falls back to X11 and kills the run, and Kivy would otherwise
parse pytest's argv and write to ~/.kivy.
"""

from __future__ import annotations

import os
import tempfile

os.environ["SDL_VIDEODRIVER"] = "offscreen"
os.environ["KIVY_NO_ARGS"] = "1"
os.environ["KIVY_NO_FILELOG"] = "1"
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-home-"))
os.environ.pop("DISPLAY", None)
os.environ.pop("WAYLAND_DISPLAY", None)
