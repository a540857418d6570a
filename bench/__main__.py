"""``make bench``: every benchmark, each against its same-run baseline."""

from bench import idcard_read, startup

if __name__ == "__main__":
    startup.main()
    idcard_read.main([])
