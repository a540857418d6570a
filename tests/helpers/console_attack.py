"""A console process to attack over real HTTP: plain mosquitto, a SQLite store with
the given logins, and clients that come from any loopback address (127.0.0.0/8 is all
loopback), so one test can be a guesser at 127.0.0.66 and the staff member at 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy.engine import Engine

from fleet.auth import add_user
from fleet.models import make_engine
from tests.helpers.broker import start_broker
from tests.helpers.console_proc import Console, start_console


@dataclass
class Target:
    console: Console
    engine: Engine
    db: str

    @property
    def url(self) -> str:
        return self.console.url

    def client(self, addr: str = "127.0.0.1", origin: bool = True) -> httpx.Client:
        """A browser-like client from ``addr``: its POSTs carry this console's Origin."""
        return httpx.Client(base_url=self.url, timeout=15, verify=False,
                            headers={"Origin": self.url} if origin else {},
                            transport=httpx.HTTPTransport(local_address=addr, verify=False))

    def login(self, name: str, password: str, addr: str = "127.0.0.1",
              client: httpx.Client | None = None) -> httpx.Response:
        client = client or self.client(addr)
        return client.post("/login", data={"name": name, "password": password})


@contextmanager
def console_target(folder: Path, users: dict[str, tuple[str, str]],
                   extra: tuple[str, ...] = ()) -> Iterator[Target]:
    broker = start_broker(folder)
    db = f"sqlite:///{folder / 'console.sqlite'}"
    engine = make_engine(db)
    for name, (password, role) in users.items():
        add_user(engine, name, password, role)
    try:
        console = start_console(folder, db, broker, extra=extra)
    except BaseException:
        broker.stop()
        raise
    try:
        yield Target(console, engine, db)
    finally:
        console.stop()
        broker.stop()
        engine.dispose()
