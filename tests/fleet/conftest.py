"""Shared real parts for the console tests: one TLS mosquitto, one PostgreSQL."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import create_engine, text

from tests.helpers.broker import SecureBroker
from tests.helpers.postgres import start_postgres

_names = itertools.count()


@pytest.fixture(scope="session")
def secure_broker(tmp_path_factory):
    broker = SecureBroker(tmp_path_factory.mktemp("fleet-broker"))
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
def postgres():
    pg = start_postgres()
    yield pg
    pg.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty console database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'console.sqlite'}"
    pg = request.getfixturevalue("postgres")
    name = f"fleet_{next(_names)}"
    admin = create_engine(pg.url.replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return pg.url.rsplit("/", 1)[0] + f"/{name}"
