"""``python -m drivers.sim <idcard|printer|queue|sscard> [options]``: run a simulator.

Serial simulators print the pty path for a driver to open, then run until Ctrl-C.
Each device contributes ``register_sim(subparsers)`` in ``drivers/<device>/cli.py``.
"""

from __future__ import annotations

import argparse
import sys

from drivers.cli import load_device_modules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drivers.sim", description=__doc__)
    devices = parser.add_subparsers(dest="device", required=True, metavar="DEVICE")
    for module in load_device_modules("cli"):
        if hasattr(module, "register_sim"):
            module.register_sim(devices)
    args = parser.parse_args(argv)
    try:
        return args.run(args) or 0
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
