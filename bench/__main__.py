"""``make bench``: every benchmark, each against its same-run baseline."""

from bench import startup

if __name__ == "__main__":
    startup.main()
