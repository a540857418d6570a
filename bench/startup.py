"""Start-up: process start to the attract screen drawn, against a bare Kivy app.

    .venv/bin/python -m bench.startup [--runs N]

Both run offscreen (SDL_VIDEODRIVER=offscreen) with the same window size and font;
the kiosk runs with --simulate (simulators on ptys, broker and back end need not be
up: neither is contacted before the first frame). Reports medians and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def time_to_line(argv: list[str], marker: str, env: dict[str, str], timeout: float = 60) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        for line in proc.stdout:
            if marker in line:
                return time.perf_counter() - start
            if time.perf_counter() - start > timeout:
                break
        raise RuntimeError(f"{argv[2:4]}: never printed {marker!r}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="bench-kivy-")
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_NO_ARGS": "1",
           "KIVY_HOME": home, "KIVY_NO_FILELOG": "1"}
    env.pop("DISPLAY", None)
    data = tempfile.mkdtemp(prefix="bench-data-")
    config = Path(data) / "kiosk.toml"
    config.write_text((REPO / "config/kiosk.toml").read_text().replace(
        'data_dir = "var"', f'data_dir = "{data}"'))
    bare = [sys.executable, str(REPO / "bench/bare_kivy.py"), FONT]
    kiosk = [sys.executable, "-m", "ui", "--config", str(config), "--simulate"]
    # Warm the OS file cache once for both, then alternate so drift hits both alike.
    time_to_line(bare, "ready: label drawn", env)
    time_to_line(kiosk, "ready: attract screen drawn", env)
    bare_s, kiosk_s = [], []
    for _ in range(args.runs):
        bare_s.append(time_to_line(bare, "ready: label drawn", env))
        kiosk_s.append(time_to_line(kiosk, "ready: attract screen drawn", env))
    result = {
        "runs": args.runs,
        "bare_kivy_median_s": round(statistics.median(bare_s), 3),
        "kiosk_median_s": round(statistics.median(kiosk_s), 3),
        "ratio": round(statistics.median(kiosk_s) / statistics.median(bare_s), 2),
        "bare_kivy_s": [round(x, 3) for x in bare_s],
        "kiosk_s": [round(x, 3) for x in kiosk_s],
    }
    out = REPO / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "startup.json").write_text(json.dumps(result, indent=2))
    print(f"start-up to first frame, median of {args.runs}:")
    print(f"  bare Kivy app (one label): {result['bare_kivy_median_s']:.3f} s")
    print(f"  kiosk (attract screen):    {result['kiosk_median_s']:.3f} s")
    print(f"  ratio kiosk / bare:        {result['ratio']:.2f}x")


if __name__ == "__main__":
    main()
