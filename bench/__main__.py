"""``make bench``: every benchmark, each against its same-run baseline (both take --runs)."""

import subprocess
import sys

from bench import fleet_bytes, fleet_ingest, fleet_scale, idcard_read, printer, startup

if __name__ == "__main__":
    startup.main()
    # Each in its own process: Kivy has one window per process, and one kiosk app.
    for ui_bench in ("bench.ui_latency", "bench.scroll_frames"):
        subprocess.run([sys.executable, "-m", ui_bench], check=True)
    idcard_read.main([])
    printer.main()
    fleet_bytes.main([])
    fleet_ingest.main([])
    fleet_scale.main([])
