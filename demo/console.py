"""The fleet console as one more child of `make run`, with demo logins and keys.

The demo fleet key matches the demo command key in config/kiosk.toml, so the
console's commands reach the demo kiosk. Both are for this demo only.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from fleet.auth import add_user
from fleet.models import make_engine
from kiosk.config import KioskConfig

DEMO_FLEET_KEY = hashlib.sha256(b"kiosk demo fleet key: never on a real terminal").hexdigest()
DEMO_LOGINS = (("demo", "demo", "operator"), ("viewer", "viewer", "viewer"))


def console_argv(config: KioskConfig, folder: Path, port: int) -> list[str]:
    """Prepare the demo console's database and key; return the command that starts it."""
    db = f"sqlite:///{folder / 'console.sqlite'}"
    engine = make_engine(db)
    for name, password, role in DEMO_LOGINS:
        add_user(engine, name, password, role)
    engine.dispose()
    key = folder / "fleet.key"
    key.write_text(DEMO_FLEET_KEY)
    return [sys.executable, "-m", "fleet", "--db", db, "--mqtt-host", config.broker.host,
            "--mqtt-port", str(config.broker.port), "--fleet-key-file", str(key),
            "--http-port", str(port), "--offline-after", str(4 * config.broker.heartbeat_s),
            "--client-id", "demo-console"]
