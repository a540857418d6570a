"""Printer: status query latency, and documents' bytes and wire time, each with its baseline.

    .venv/bin/python -m bench.printer [--runs N]

1. Status: our DLE EOT 1-4 query against python-escpos's own ``paper_status()`` (one
   DLE EOT 4, then ``read(16)``: it waits out its serial timeout, 1 s by default, even
   when the printer answered at once). Both on the simulator on a real pty, paced at
   115200 baud, same run.
2. The certificate in the printer's font with a native QR code against the full raster
   (576 dots): bytes, wire time at 115200 baud (10 bits a byte), and the measured time
   from the first byte to the printer's confirmation (GS r 1) through the paced simulator.
3. The queue ticket (排队凭条, English session: the longer one) the same way: its own font,
   GS ! for the number, native QR, against its full raster. Goal: >= 20x fewer bytes and
   <= 0.3 s on the wire.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from drivers.printer import commands as c
from drivers.printer.driver import RASTER_ROWS, ReceiptPrinter
from drivers.printer.escpos_lib import Serial
from drivers.printer.profiles import PROFILES
from drivers.printer.simulator import PrinterSimulator
from kiosk.printing.certificate import Certificate
from kiosk.printing.native import certificate_escpos
from kiosk.printing.render import render_certificate
from kiosk.printing.ticket import QueueTicket, render_ticket, ticket_escpos

REPO = Path(__file__).resolve().parents[1]
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
BAUD = 115200
CERT = Certificate(
    title="社会保险参保证明", holder_name="欧阳明珏", id_number_masked="440304********1234",
    rows=[("参保险种", "企业职工基本养老保险"), ("参保状态", "正常参保"), ("累计缴费", "128个月"),
          ("参保单位", "深圳市南山区某某科技创新服务有限公司（含下属分支机构）第二分公司")],
    verification_code="SS-20261122-7F3KQ9",
    verify_url="https://si.sz.gov.cn/verify?code=SS-20261122-7F3KQ9",
    issued_at="2026-11-22 20:15", issuer="深圳市社会保险基金管理局",
)
SITE = "福田区24小时政务服务自助点"
TICKET = QueueTicket(number="C012", business_zh="驾驶证业务、违法处理", department_zh="公安交警",
                     windows="6-8", waiting=11, taken_at="2026-11-22 20:15", site="futian-hall",
                     business_en="Driving licences, violations", department_en="Traffic police")


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def status_latency(sim: PrinterSimulator, runs: int) -> dict[str, object]:
    ours = ReceiptPrinter(sim.port, BAUD)
    theirs = Serial(devfile=sim.port, baudrate=BAUD, dsrdtr=False)  # python-escpos defaults
    theirs.open()
    timeout = theirs.device.timeout
    try:
        ours.status()  # open the port once, as a running kiosk has it open
        ours_s, theirs_s = [], []
        for _ in range(runs):  # alternate, so drift hits both alike
            t = time.perf_counter()
            assert ours.status().usable
            ours_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            assert theirs.paper_status() == 2
            theirs_s.append(time.perf_counter() - t)
    finally:
        ours.close()
        theirs.close()
    return {"ours_dle_eot_1_to_4_ms": _median_ms(ours_s),
            "python_escpos_paper_status_ms": _median_ms(theirs_s),
            "python_escpos_timeout_s": timeout,
            "ratio": round(statistics.median(theirs_s) / statistics.median(ours_s), 1)}


def certificate(sim: PrinterSimulator, runs: int) -> dict[str, object]:
    return native_against_raster(sim, runs, certificate_escpos(CERT, FONT),
                                 c.raster(render_certificate(CERT, FONT), RASTER_ROWS))


def queue_ticket(sim: PrinterSimulator, runs: int) -> dict[str, object]:
    return native_against_raster(
        sim, runs, ticket_escpos(TICKET, SITE, FONT, lang="en"),
        c.raster(render_ticket(TICKET, SITE, FONT, lang="en"), RASTER_ROWS))


def native_against_raster(sim: PrinterSimulator, runs: int, native_body: bytes,
                          raster_body: bytes) -> dict[str, object]:
    """Both bodies framed as the driver frames a job, and printed on the paced simulator."""
    out: dict[str, object] = {}
    for name, body, profile in (("native", native_body, "cn-font-qr"),
                                ("raster", raster_body, "raster-only")):
        printer = ReceiptPrinter(sim.port, BAUD, profile=PROFILES[profile])
        framed = len(c.INIT + body + c.feed(6) + c.SYNC + c.CUT_FULL)
        times = []
        try:
            for _ in range(runs):
                t = time.perf_counter()
                printer.print_job(body, kind="bench")  # no key: printed every run
                times.append(time.perf_counter() - t)
        finally:
            printer.close()
        out[name] = {"bytes": framed, "wire_s": round(framed * 10 / BAUD, 3),
                     "printed_s": round(statistics.median(times), 3)}
    native, raster = out["native"], out["raster"]
    assert isinstance(native, dict) and isinstance(raster, dict)
    out["bytes_ratio"] = round(raster["bytes"] / native["bytes"], 1)
    out["printed_ratio"] = round(raster["printed_s"] / native["printed_s"], 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-printer-") as tmp, \
            PrinterSimulator(Path(tmp), baud=BAUD) as sim:
        result = {"baud": BAUD, "runs": args.runs, "status": status_latency(sim, args.runs),
                  "certificate": certificate(sim, max(1, args.runs // 2)),
                  "queue_ticket": queue_ticket(sim, max(1, args.runs // 2))}
    folder = REPO / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "printer.json").write_text(json.dumps(result, indent=2))
    st, cert = result["status"], result["certificate"]
    print(f"printer status query, median of {args.runs}, simulator on a pty at {BAUD} baud:")
    print(f"  python-escpos paper_status() (DLE EOT 4): {st['python_escpos_paper_status_ms']} ms")
    print(f"  ours, DLE EOT 1-4:                        {st['ours_dle_eot_1_to_4_ms']} ms")
    print(f"  ratio:                                    {st['ratio']}x")
    for title, doc in (("certificate", cert),
                       ("queue ticket (English session)", result["queue_ticket"])):
        n, r = doc["native"], doc["raster"]
        print(f"{title}, 576 dots, at {BAUD} baud (printed: first byte to GS r 1 answer):")
        print(f"  full raster:            {r['bytes']:6d} B  wire {r['wire_s']:.3f} s  "
              f"printed {r['printed_s']:.3f} s")
        print(f"  font + native QR:       {n['bytes']:6d} B  wire {n['wire_s']:.3f} s  "
              f"printed {n['printed_s']:.3f} s")
        print(f"  ratio raster / native:  {doc['bytes_ratio']}x bytes, "
              f"{doc['printed_ratio']}x printed time")


if __name__ == "__main__":
    main()
