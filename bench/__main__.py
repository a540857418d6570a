"""``make bench``: every benchmark, each against its same-run baseline (both take --runs)."""

from bench import printer, startup

if __name__ == "__main__":
    startup.main()
    printer.main()
