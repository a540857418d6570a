"""ID card read time through the driver, against the wire time of the same bytes.

    .venv/bin/python -m bench.idcard_read [--runs N] [--baud N]

One read is find, select and read (``SamLink.read_once``, the code the reader
thread and the CLI run) against the simulator on a real pty, which paces every
byte at the line rate and starts no reply before the request would have finished
arriving. The floor is the wire time of every byte of the three exchanges (3
commands of 10 bytes; replies of 15, 11 and 1295 bytes) at 10 bits a byte (8N1):
117.3 ms at 115200 baud, of which the 1295-byte reply alone is 112.4 ms. A real
SAM adds its own RF time on top; that is not modelled, so the ratio is the
driver's overhead over the line, not a prediction of a real read.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from time import perf_counter

from drivers.idcard import protocol as p
from drivers.idcard.link import SamLink
from drivers.idcard.protocol import IdCard
from drivers.idcard.simulator import IdCardSimulator

REPO = Path(__file__).resolve().parents[1]
CARD = IdCard("张示例", "1", "01", "19880312", "广东省深圳市福田区示例路1号演示花园1栋101",
              "440304198803121237", "深圳市公安局福田分局", "20160510", "20360510",
              bytes(range(256)) * 4)  # fmt: skip


def exchange_bytes(card: IdCard) -> tuple[int, int]:
    """(all bytes of find + select + read, the read reply's bytes)."""
    commands = sum(len(p.encode_command(*c)) for c in (p.FIND_CARD, p.SELECT_CARD, p.READ_BASE))
    read = len(p.encode_read_reply(card))
    replies = len(p.encode_reply(p.SW3_FIND_OK, bytes(4))) + len(p.encode_reply(p.SW3_OK)) + read
    return commands + replies, read


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(runs: int, baud: int) -> dict[str, object]:
    with IdCardSimulator(CARD, baud=baud) as sim, SamLink(sim.port, baud) as link:
        for _ in range(2):  # warm up: imports, first reads
            assert link.read_once() == CARD
        times = []
        for _ in range(runs):
            start = perf_counter()
            card = link.read_once()
            times.append(perf_counter() - start)
            assert card == CARD
    total, read = exchange_bytes(CARD)
    floor = total * 10 / baud
    median = statistics.median(times)
    return {
        "runs": runs,
        "baud": baud,
        "bytes_on_the_wire": total,
        "read_reply_bytes": read,
        "floor_ms": round(floor * 1000, 1),
        "read_reply_wire_ms": round(read * 10 / baud * 1000, 1),
        "median_ms": round(median * 1000, 1),
        "p95_ms": round(percentile(times, 0.95) * 1000, 1),
        "min_ms": round(min(times) * 1000, 1),
        "ratio_median_to_floor": round(median / floor, 3),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.idcard_read")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--baud", type=int, default=115200, choices=sorted(p.BAUD_RATES))
    args = parser.parse_args(argv)
    result = measure(args.runs, args.baud)
    out = REPO / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "idcard_read.json").write_text(json.dumps(result, indent=2))
    print(f"ID card read (find + select + read through SamLink), {args.runs} reads "
          f"at {args.baud} baud, simulator pacing every byte:")  # fmt: skip
    print(f"  wire time of the same {result['bytes_on_the_wire']} bytes (floor): "
          f"{result['floor_ms']:.1f} ms  (the {result['read_reply_bytes']}-byte reply alone: "
          f"{result['read_reply_wire_ms']:.1f} ms)")  # fmt: skip
    print(f"  read time: median {result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms")
    print(f"  ratio median / floor: {result['ratio_median_to_floor']:.3f}x")


if __name__ == "__main__":
    main()
