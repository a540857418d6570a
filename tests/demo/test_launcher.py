"""`make run`'s launcher: everything starts, Ctrl-C stops everything, nothing is left."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from tests.helpers.broker import free_port

REPO = Path(__file__).resolve().parents[2]


def demo_config(tmp_path: Path) -> tuple[Path, int]:
    broker_port, backend_port = free_port(), free_port()
    text = (REPO / "config/kiosk.toml").read_text()
    text = text.replace("port = 18830", f"port = {broker_port}")
    text = text.replace("127.0.0.1:8765", f"127.0.0.1:{backend_port}")
    text = text.replace('data_dir = "var"', f'data_dir = "{tmp_path}"')
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    return path, broker_port


def start_demo(config: Path, tmp_path: Path) -> tuple[subprocess.Popen, list[str]]:
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_HOME": str(tmp_path / "kivy")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "demo", "--config", str(config),
         "--console-port", str(free_port())],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    return proc, lines


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def child_pids(lines: list[str]) -> list[int]:
    return [int(m.group(1)) for line in lines if (m := re.search(r"\(pid (\d+)\)", line))]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead but not yet reaped by its parent.
    state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    return state != "Z"


def watch(port: int) -> list[dict]:
    states: list[dict] = []
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"watch-{port}")
    client.on_connect = lambda c, *_a: c.subscribe("kiosk/v1/+/+/state", qos=1)
    client.on_message = lambda _c, _u, m: states.append(json.loads(m.payload))
    deadline = time.monotonic() + 30
    while True:
        try:
            client.connect("127.0.0.1", port)
            break
        except OSError:
            assert time.monotonic() < deadline, "the demo's broker never came up"
            time.sleep(0.2)
    client.loop_start()
    return states


@pytest.mark.timeout(120)
def test_ctrl_c_stops_everything_and_the_kiosk_says_offline(tmp_path):
    config, broker_port = demo_config(tmp_path)
    proc, lines = start_demo(config, tmp_path)
    try:
        wait_for(lambda: any("demo: running" in line for line in lines), 60, "demo running")
        pids = child_pids(lines)
        assert len(pids) == 4  # broker, back end, fleet console, kiosk
        states = watch(broker_port)
        wait_for(lambda: any(s["state"] == "online" for s in states), 30, "online state")
        wait_for(lambda: any(line.startswith("fleet console: http://") for line in lines), 30,
                 "the fleet console up")
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends to the launcher
        assert proc.wait(timeout=40) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert any(s == {**s, "state": "offline", "reason": "shutdown"} for s in states)
    assert not any(s.get("reason") == "lost" for s in states)  # not the Last Will
    assert [pid for pid in pids if alive(pid)] == []
    assert any("demo: stopped." in line for line in lines)


@pytest.mark.timeout(120)
def test_a_killed_launcher_leaves_no_orphans(tmp_path):
    config, _port = demo_config(tmp_path)
    proc, lines = start_demo(config, tmp_path)
    try:
        wait_for(lambda: any("demo: running" in line for line in lines), 60, "demo running")
        pids = child_pids(lines)
        proc.kill()  # SIGKILL: no cleanup code runs in the launcher
        proc.wait()
        wait_for(lambda: not any(alive(pid) for pid in pids), 20, "children to die")
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in child_pids(lines):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.timeout(150)
def test_with_no_display_the_demo_starts_its_own_and_shows_the_attract_screen(tmp_path):
    """A new user's first `make run` on a server: no DISPLAY, no offscreen driver."""
    from PIL import Image

    config, _port = demo_config(tmp_path)
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    env["KIVY_HOME"] = str(tmp_path / "kivy")
    proc = subprocess.Popen(
        [sys.executable, "-m", "demo", "--config", str(config),
         "--console-port", str(free_port())],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    live = tmp_path / "screens" / "live.png"
    try:
        wait_for(lambda: any("demo: running" in line for line in lines), 60, "demo running")
        assert any("virtual display (:" in line for line in lines), lines
        assert any(str(live) in line for line in lines)
        wait_for(live.exists, 60, "the first screenshot")
        time.sleep(0.5)  # the file is replaced whole; let a write in progress finish
        with Image.open(live) as image:
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 20  # drawn, not a blank frame
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=40) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert [pid for pid in child_pids(lines) if alive(pid)] == []
