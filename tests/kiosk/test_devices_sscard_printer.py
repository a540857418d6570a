"""The device hub's printer journal and profile, the optional sscard reader, and --simulate."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from drivers.device import DeviceState
from drivers.printer.journal import INTERRUPTED, JobState, PrintJournal
from drivers.printer.transport import NetworkLink, SerialTransport
from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.devices import DeviceHub, printer_link
from kiosk.printing.printable import PrintJob
from tests.helpers.pcscd import Pcscd, hold_machine_lock
from ui.simulate import start_simulators

REPO = Path(__file__).resolve().parents[2]
WAIT = 20.0


def demo_config(tmp: Path) -> KioskConfig:
    base = load_config(REPO / "config" / "kiosk.toml")
    return base.model_copy(update={"paths": base.paths.model_copy(update={"data_dir": tmp})})


class Statuses:
    def __init__(self) -> None:
        self.seen: list = []
        self.cond = threading.Condition()

    def post(self, fn) -> None:
        fn()

    def on_status(self, status) -> None:
        with self.cond:
            self.seen.append(status)
            self.cond.notify_all()

    def on_card(self, card) -> None:
        with self.cond:
            self.seen.append(card)
            self.cond.notify_all()

    def wait(self, device: str, state: DeviceState) -> None:
        with self.cond:
            assert self.cond.wait_for(
                lambda: any(getattr(s, "device", None) == device and s.state is state
                            for s in self.seen), WAIT
            ), f"{device} never {state.value}: {self.seen}"


def test_demo_without_pcscd_leaves_the_sscard_out_and_says_why(tmp_path, caplog) -> None:
    caplog.set_level(logging.WARNING)
    hold_machine_lock()  # another test run's pcscd is not up meanwhile
    config, sims = start_simulators(demo_config(tmp_path))
    try:
        assert config.devices.sscard is None and sims.sscards == []
        assert "pcscd is not running" in caplog.text and "left out of this demo" in caplog.text
        hub = DeviceHub(config.devices, lambda fn: fn(), data_dir=tmp_path)
        assert "sscard" not in hub.statuses  # nothing "out of order" on the attract screen
        hub.printer.journal.close()
    finally:
        sims.stop()


def test_hub_reports_interrupted_jobs_and_prints_natively(tmp_path, caplog) -> None:
    journal = PrintJournal(tmp_path / "printer-journal.sqlite3")
    job = journal.add(b"\x1b@", kind="certificate")
    journal.begin(job.id)  # the kiosk died mid-job last night
    journal.close()

    caplog.set_level(logging.WARNING)
    config, sims = start_simulators(demo_config(tmp_path))
    events = Statuses()
    hub = DeviceHub(config.devices, events.post, data_dir=tmp_path)
    hub.status_changed.subscribe(events.on_status)
    hub.start()
    try:
        (left,) = hub.unfinished_print_jobs
        assert (left.id, left.state, left.detail) == (job.id, JobState.FAILED, INTERRUPTED)
        assert f"job {job.id} (certificate) unfinished from before" in caplog.text
        assert hub.printer_profile.name == "cn-font-qr"
        job = PrintJob("SS-T1", "certificate", body="测试\n".encode("gb18030"))
        hub.print_job(job)
        hub.print_job(job)  # the same document again: printed once
        assert len(sims.printer.wait_for_jobs(1, WAIT)) == 1
        assert [j.state for j in hub.printer.journal.jobs()] == [JobState.FAILED, JobState.DONE]
        events.wait("printer", DeviceState.ONLINE)
    finally:
        hub.stop()
        sims.stop()


def test_hub_runs_the_sscard_reader_when_configured(tmp_path) -> None:
    pcscd = Pcscd(tmp_path).start()
    try:
        config, sims = start_simulators(demo_config(tmp_path), pcscd.port)
        events = Statuses()
        hub = DeviceHub(config.devices, events.post, data_dir=tmp_path)
        hub.status_changed.subscribe(events.on_status)
        hub.sscard_read.subscribe(events.on_card)
        hub.start()
        try:
            assert hub.statuses["sscard"].state in (DeviceState.STARTING, DeviceState.ONLINE)
            events.wait("sscard", DeviceState.ONLINE)
            def cards() -> list:
                return [s for s in events.seen if not hasattr(s, "device")]

            with sims.sscards[0], events.cond:
                assert events.cond.wait_for(cards, WAIT)
            assert cards()[0].ssn == sims.sscards[0].card.card.ssn
            pcscd.stop()
            events.wait("sscard", DeviceState.OFFLINE)
        finally:
            hub.stop()
            sims.stop()
    finally:
        pcscd.stop()


def test_printer_connection_config(tmp_path) -> None:
    base = demo_config(tmp_path).devices.printer
    assert isinstance(printer_link(base), SerialTransport)
    net = base.model_copy(update={"connection": "network", "host": "10.0.0.5"})
    link = printer_link(net)
    assert isinstance(link, NetworkLink) and link.name == "10.0.0.5:9100"
    bad = tmp_path / "bad.toml"
    text = (REPO / "config" / "kiosk.toml").read_text()
    bad.write_text(text.replace('profile = "cn-font-qr"', 'profile = "cn-font-qr"\n'
                                'connection = "network"'))
    with pytest.raises(ConfigError, match="connection = 'network' needs host"):
        load_config(bad)
    bad.write_text(text.replace('profile = "cn-font-qr"', 'profile = "fancy"'))
    with pytest.raises(ConfigError, match=r"devices\.printer\.profile"):
        load_config(bad)
