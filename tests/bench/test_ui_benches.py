"""The UI benchmarks run end to end and produce numbers (not timings: --quick is
three touches a function and a short scroll, on whatever load the machine has)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.ui_latency import functions
from bench.ui_measure import frame_summary, summary_ms

pytestmark = pytest.mark.robot  # a real kiosk, back end, broker and simulators
REPO = Path(__file__).resolve().parents[2]


def run_bench(module: str, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", module, "--quick", "--json", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())


def test_ui_latency_measures_every_function_and_the_baseline(tmp_path):
    result = run_bench("bench.ui_latency", tmp_path / "ui_latency.json")
    assert result["runs"] == 3 and result["bare"]["n"] == 3 and result["bare"]["p50_ms"] > 0
    rows = {row["function"]: row for row in result["functions"]}
    assert list(rows) == [fn.name for fn in functions()]
    for fn in functions():
        row = rows[fn.name]
        assert row["n"] + len(row["first_visits"]) == 3, fn.name
        assert 0 < row["p50_ms"] <= row["p99_ms"] <= row["max_ms"], fn.name
        if fn.waits:  # each share was seen, within the whole
            for share in ("backend", "worker", "journal", "refresh"):
                assert 0 < row[f"{share}_p50_ms"] <= row["max_ms"], (fn.name, share)
            assert row["backend_p50_ms"] <= row["worker_p50_ms"]
        if "no back end" in fn.name:
            assert row["backend_p50_ms"] == 0
    first = [visit for row in rows.values() for visit in row["first_visits"]]
    built = {screen for visit in first for screen in visit["built"]}
    assert {"home", "ss_status", "records", "hf_account", "traffic", "guides"} <= \
        set(result["screen_build_ms"])
    assert {"ss_status", "records", "hf_account"} <= built  # built on a measured touch


def test_scroll_frames_records_every_frame_of_both(tmp_path):
    result = run_bench("bench.scroll_frames", tmp_path / "scroll_frames.json")
    assert result["rows"] == 401 and result["row_pitch"] > 0
    for app in ("bare", "kiosk"):
        steps = 2 * result["frames_each_way"]
        assert steps // 2 <= result[app]["n"] <= steps, app  # a step that drew nothing: no frame
        assert 0 < result[app]["p50_ms"] <= result[app]["max_ms"]
        assert result[app]["total_s"] >= result[app]["max_ms"] / 1000


def test_summaries():
    assert summary_ms([0.010, 0.020, 0.030]) == {
        "n": 3, "p50_ms": 20.0, "p99_ms": 30.0, "max_ms": 30.0, "mean_ms": 20.0}
    frames = frame_summary([0.010, 0.0166, 0.0168, 0.050])
    assert frames["over_16_7ms"] == 2 and frames["total_s"] == 0.09
