"""Shared plumbing of the field diagnostic CLI (``python -m drivers``).

Each device contributes ``drivers/<device>/cli.py`` with ``register(subparsers)``
that adds its commands; a command is a function ``run(args) -> dict`` whose result
is printed as JSON. Failure: raise ``CliError`` with a message for the person on
site; it is printed on stderr (and as JSON on stdout) and the exit code is 1.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from collections.abc import Callable
from typing import Any

DEVICES = ("idcard", "sscard", "printer", "queue")


class CliError(Exception):
    """A clear, non-personal message for the person at the terminal."""


Command = Callable[[argparse.Namespace], dict[str, Any]]


def load_device_modules(leaf: str) -> list[Any]:
    """``drivers.<device>.<leaf>`` for every device that has one."""
    modules = []
    for device in DEVICES:
        name = f"drivers.{device}.{leaf}"
        if importlib.util.find_spec(f"drivers.{device}") and importlib.util.find_spec(name):
            modules.append(importlib.import_module(name))
    return modules


def run_command(parser: argparse.ArgumentParser, argv: list[str] | None) -> int:
    args = parser.parse_args(argv)
    try:
        result = args.run(args)
    except CliError as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        print(f"{parser.prog}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=2))
    return 0
