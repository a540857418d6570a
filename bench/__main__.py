"""``make bench``: every benchmark, each against its same-run baseline (both take --runs)."""

from bench import (
    fleet_bytes,
    fleet_ingest,
    fleet_scale,
    idcard_read,
    printer,
    scroll_frames,
    startup,
    ui_latency,
)

if __name__ == "__main__":
    startup.main()
    ui_latency.main([])
    scroll_frames.main([])
    idcard_read.main([])
    printer.main()
    fleet_bytes.main([])
    fleet_ingest.main([])
    fleet_scale.main([])
