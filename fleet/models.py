"""The console's tables (SQLAlchemy 2): SQLite by default, PostgreSQL by URL.

Written by ingest (MQTT → here), read by the web pages. Several console processes
may write the same database: every write is idempotent or ordered by the
terminal's own counters (bdseq, seq, ts), never by arrival order.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    event,
    inspect,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Terminal(Base):
    __tablename__ = "terminals"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    site: Mapped[str] = mapped_column(String(64), index=True)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    bdseq: Mapped[int] = mapped_column(Integer, default=-1)
    light: Mapped[str] = mapped_column(String(8), default="green")  # as reported
    oos: Mapped[bool] = mapped_column(Boolean, default=False)
    paper: Mapped[str] = mapped_column(String(8), default="unknown")
    version: Mapped[str] = mapped_column(String(32), default="")
    hb: Mapped[float] = mapped_column(Float, default=300)
    health: Mapped[str] = mapped_column(Text, default="{}")  # the last health JSON
    health_ts: Mapped[float] = mapped_column(Float, default=0)
    last_seen: Mapped[float] = mapped_column(Float, default=0)
    state_reason: Mapped[str] = mapped_column(String(16), default="")
    birth_ts: Mapped[float] = mapped_column(Float, default=0)
    updated: Mapped[float] = mapped_column(Float, default=0, index=True)  # live-update cursor


class Alarm(Base):
    __tablename__ = "alarms"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal: Mapped[str] = mapped_column(String(64), index=True)
    site: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(8))
    detail: Mapped[str] = mapped_column(String(200), default="")  # English
    detail_zh: Mapped[str] = mapped_column(String(200), default="", server_default="")
    action: Mapped[str] = mapped_column(String(16), default="")
    raised_at: Mapped[float] = mapped_column(Float)
    raised_seq: Mapped[int] = mapped_column(Integer, default=0)
    cleared_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    acked_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    acked_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    updated: Mapped[float] = mapped_column(Float, default=0, index=True)

    __table_args__ = (Index("ix_alarm_active", "terminal", "key", "cleared_at"),)


class Received(Base):
    """Outbox messages already stored: delivery is at least once, storing exactly once."""

    __tablename__ = "received"
    terminal: Mapped[str] = mapped_column(String(64), primary_key=True)
    stream: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)


class Txn(Base):
    __tablename__ = "txns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal: Mapped[str] = mapped_column(String(64), index=True)
    site: Mapped[str] = mapped_column(String(64), index=True)
    day: Mapped[str] = mapped_column(String(10), index=True)  # local date, YYYY-MM-DD
    ts: Mapped[float] = mapped_column(Float)
    service: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))
    duration_s: Mapped[float] = mapped_column(Float, default=0)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    printed: Mapped[bool] = mapped_column(Boolean, default=False)
    # "use" (a service used, from the terminal's journal), "rating" (a citizen's rating),
    # or "session" (one record per session, what terminals sent before the journal feed).
    kind: Mapped[str] = mapped_column(String(8), default="session", server_default="session")


class Command(Base):
    __tablename__ = "commands"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    terminal: Mapped[str] = mapped_column(String(64), index=True)
    cmd: Mapped[str] = mapped_column(String(32))
    args: Mapped[str] = mapped_column(Text, default="{}")
    by: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[float] = mapped_column(Float)
    result: Mapped[str] = mapped_column(String(16), default="sent")
    detail: Mapped[str] = mapped_column(String(300), default="")
    answered_at: Mapped[float | None] = mapped_column(Float, nullable=True)


class Screenshot(Base):
    __tablename__ = "screenshots"
    terminal: Mapped[str] = mapped_column(String(64), primary_key=True)
    ts: Mapped[float] = mapped_column(Float)
    png: Mapped[bytes] = mapped_column(LargeBinary)


class Quarantined(Base):
    """A terminal's message that was not stored: it broke the contract, or the store
    refused it. Kept (capped) for staff to see, instead of costing others theirs."""

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal: Mapped[str] = mapped_column(String(64), index=True)  # as its topic claims
    topic: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)  # bytes of the whole payload
    payload: Mapped[bytes] = mapped_column(LargeBinary)  # its first QUARANTINE_KEEP bytes
    received_at: Mapped[float] = mapped_column(Float, index=True)


class User(Base):
    __tablename__ = "users"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # "viewer" or "operator"
    pw_hash: Mapped[str] = mapped_column(String(200))


class StaffSession(Base):
    """A login, server side: the cookie holds a random token, this table only its hash,
    so a copy of the database logs nobody in. Ending a row ends that login at once."""

    __tablename__ = "staff_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user: Mapped[str] = mapped_column(String(64), index=True)
    created: Mapped[float] = mapped_column(Float)
    last_seen: Mapped[float] = mapped_column(Float)


class LoginFailures(Base):
    """Failed logins per key ("user:NAME", "addr:IP", "device:ID"), shared by every
    console process on the same database, so spreading guesses over them gains nothing."""

    __tablename__ = "login_failures"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[float] = mapped_column(Float, default=0)
    locked_until: Mapped[float] = mapped_column(Float, default=0)


def make_engine(url: str) -> Engine:
    """An engine with the schema in place. SQLite gets WAL: readers never block ingest."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, pool_pre_ping=True, future=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record) -> None:
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()
    Base.metadata.create_all(engine)
    _add_new_columns(engine)
    return engine


def _add_new_columns(engine: Engine) -> None:
    """Columns added to the schema after a console's database was made (additive only:
    each has a server default, so the rows already there read as before)."""
    found = inspect(engine)
    for table in Base.metadata.sorted_tables:
        have = {col["name"] for col in found.get_columns(table.name)}
        for col in table.columns:
            if col.name in have or col.server_default is None:
                continue
            kind = col.type.compile(engine.dialect)
            default = str(col.server_default.arg).replace("'", "''")
            with engine.begin() as conn:
                conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {col.name} {kind} "
                                     f"NOT NULL DEFAULT '{default}'")
