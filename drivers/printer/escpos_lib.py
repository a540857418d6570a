"""python-escpos, imported so that it neither re-pickles nor litters /tmp on every start.

At import python-escpos pickles its printer profiles into
``ESCPOS_CAPABILITIES_PICKLE_DIR`` or, unset, into a new temporary folder: about
130 ms and a stray /tmp/tmpXXXX per start. It calls ``tempfile.mkdtemp()`` even
when the variable is set (an eagerly evaluated default), so for the import
``mkdtemp`` answers with the same cache folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    folder = Path(base) / "python-escpos"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder)


_CACHE = os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", _cache_dir())
_mkdtemp, tempfile.mkdtemp = tempfile.mkdtemp, lambda *_a, **_k: _CACHE
try:
    from escpos.capabilities import Profile
    from escpos.exceptions import Error as EscposError
    from escpos.printer import Dummy, Network, Serial, Usb
finally:
    tempfile.mkdtemp = _mkdtemp

__all__ = ["Dummy", "EscposError", "Network", "Profile", "Serial", "Usb"]
