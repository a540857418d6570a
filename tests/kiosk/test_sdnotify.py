"""kiosk.sdnotify against a real datagram socket standing in for systemd's."""

from __future__ import annotations

import os
import socket
import threading

import pytest

from kiosk import sdnotify


@pytest.fixture
def systemd_socket(tmp_path, monkeypatch):
    path = tmp_path / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(2)
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    yield sock
    sock.close()


def test_ready_and_status_arrive_as_one_datagram(systemd_socket):
    assert sdnotify.ready("attract screen drawn")
    assert systemd_socket.recv(4096) == b"READY=1\nSTATUS=attract screen drawn"


def test_a_ping_from_the_main_thread_arrives(systemd_socket):
    assert sdnotify.watchdog()
    assert systemd_socket.recv(4096) == b"WATCHDOG=1"


def test_a_ping_from_another_thread_raises_and_sends_nothing(systemd_socket):
    errors = []

    def side():
        try:
            sdnotify.watchdog()
        except sdnotify.OffMainThread as exc:
            errors.append(exc)

    t = threading.Thread(target=side, name="side")
    t.start()
    t.join()
    assert errors and "side" in str(errors[0])
    systemd_socket.settimeout(0.3)
    with pytest.raises(TimeoutError):
        systemd_socket.recv(4096)


def test_the_abstract_namespace(monkeypatch):
    name = f"kiosk-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(2)
    monkeypatch.setenv("NOTIFY_SOCKET", "@" + name)
    try:
        assert sdnotify.stopping()
        assert sock.recv(64) == b"STOPPING=1"
    finally:
        sock.close()


def test_outside_systemd_nothing_is_sent(monkeypatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert sdnotify.ready() is False
    assert sdnotify.watchdog() is False
    monkeypatch.setenv("NOTIFY_SOCKET", "relative/path")
    assert sdnotify.notify("READY=1") is False


def test_watchdog_interval(monkeypatch):
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    assert sdnotify.watchdog_interval_s() is None
    monkeypatch.setenv("WATCHDOG_USEC", "30000000")
    assert sdnotify.watchdog_interval_s() == 30.0
    monkeypatch.setenv("WATCHDOG_PID", str(os.getppid()))  # cage, our parent
    assert sdnotify.watchdog_interval_s() == 30.0
    monkeypatch.setenv("WATCHDOG_PID", "1")  # meant for another process
    assert sdnotify.watchdog_interval_s() is None
