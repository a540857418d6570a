"""``python -m drivers <device> <command>``: field diagnostics, JSON on stdout.

Maintenance staff on site, integrators and tests use the same commands.
"""

from __future__ import annotations

import argparse
import sys

from drivers.cli import load_device_modules, run_command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drivers", description=__doc__)
    devices = parser.add_subparsers(dest="device", required=True, metavar="DEVICE")
    for module in load_device_modules("cli"):
        module.register(devices)
    return run_command(parser, argv)


if __name__ == "__main__":
    sys.exit(main())
