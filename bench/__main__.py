"""``make bench``: every benchmark, each against its same-run baseline."""

from bench import fleet_bytes, fleet_ingest, fleet_scale, startup

if __name__ == "__main__":
    startup.main()
    fleet_bytes.main([])
    fleet_ingest.main([])
    fleet_scale.main([])
