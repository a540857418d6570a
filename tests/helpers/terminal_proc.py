"""A headless terminal process (the real FleetReporter, no Kivy) that tests can kill -9.

    python -m tests.helpers.terminal_proc CONFIG_JSON
CONFIG_JSON: {"broker": {...BrokerConfig}, "site", "id", "db", "txns": N, "journal": path}
It queues N service records (or, with "journal", feeds that journal's rows as the kiosk
does), prints "queued", then runs until killed.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

from kiosk.config import BrokerConfig
from kiosk.fleet.feed import JournalFeed
from kiosk.fleet.health import DeviceView, Snapshot
from kiosk.fleet.reporter import FleetReporter
from kiosk.fleet.store import TerminalStore
from kiosk.journal import Journal


def main() -> None:
    cfg = json.loads(sys.argv[1])
    store = TerminalStore(cfg["db"])
    snap = Snapshot(devices={"printer": DeviceView("online"), "idcard": DeviceView("online")},
                    screen="attract")
    reporter = FleetReporter(BrokerConfig(**cfg["broker"]), cfg["site"], cfg["id"], "0.1.0",
                             store, lambda: snap)
    for n in range(cfg.get("txns", 0)):
        reporter.enqueue("txn", {"ts": 0, "service": "ss_insurance", "outcome": "rated",
                                 "duration_s": 30.0, "rating": 5, "printed": False, "n": n})
    if cfg.get("journal"):
        reporter.feed = JournalFeed(Journal(Path(cfg["journal"])), store)
        while reporter.feed.forward():  # what the journal holds now is in the outbox
            pass
    print("queued", flush=True)
    reporter.start()
    threading.Event().wait()


if __name__ == "__main__":
    main()
