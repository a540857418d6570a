"""``make bench``: every benchmark, each against its same-run baseline (both take --runs)."""

from bench import idcard_read, printer, startup

if __name__ == "__main__":
    startup.main()
    idcard_read.main([])
    printer.main()
