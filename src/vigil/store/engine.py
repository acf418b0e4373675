"""Opening a database and migrating it: SQLite (WAL, busy timeout) or PostgreSQL, by URL.

SQLite and concurrency: Python's sqlite3 driver starts transactions lazily and in DEFERRED mode,
so two writers can both read, then both try to upgrade to a write lock, and one fails at once
with "database is locked" (the busy timeout is not applied to lock upgrades). Vigil therefore
takes the driver out of its own transaction handling and issues ``BEGIN IMMEDIATE`` for write
transactions (the writer waits for the lock up to the busy timeout, before it reads anything)
and a plain ``BEGIN`` for reads, which never block in WAL mode.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from vigil.errors import StoreError

BUSY_TIMEOUT_MS = 60_000
# One lock id for Vigil's writers on PostgreSQL: article insert + fusion are serialised.
PG_WRITE_LOCK = 0x5649_4749  # "VIGI"


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 (the driver Vigil installs), not psycopg2."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with Vigil's SQLite settings; raises StoreError for a bad URL."""
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"database URL {url!r} is not valid: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"database URL {url!r} cannot be used: {exc}") from exc


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        folder = Path(database).expanduser().resolve().parent
        if not folder.is_dir():
            raise StoreError(f"database {database}: folder {folder} does not exist")
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see the module docstring)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        _use_wal(cur)
        cur.execute("PRAGMA foreign_keys=ON")
        # NORMAL is durable across process crashes in WAL mode (only a power loss can lose the
        # last commits), which is the failure the kill test covers.
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


def _use_wal(cur: Any) -> None:
    """Put the database in WAL mode (a setting kept in the file) unless it is already there.

    Switching needs the database to itself, and SQLite answers "database is locked" at once,
    without waiting out the busy timeout, when another process opens the new file at the same
    moment; two `vigil ingest` runs started together on a new file did. So: read the mode
    first (a file already in WAL needs no switch), and retry the switch until the timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() in ("wal", "memory"):
                return
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.25)


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction that holds the database's write lock from its first statement.

    SQLite: BEGIN IMMEDIATE. PostgreSQL: a transaction-scoped advisory lock, so that two
    ingesting processes fuse one after the other and never both create the same event."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_WRITE_LOCK})
            yield conn


def alembic_config(conn: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("vigil.store").joinpath("migrations")))
    cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    """The newest migration this version of Vigil ships."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("vigil.store").joinpath("migrations")))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    if head is None:
        raise StoreError("no migrations found in the vigil package; reinstall it")
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as exc:
        raise StoreError(f"database {engine.url.render_as_string(hide_password=True)}: {exc}") from exc


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Run the migrations up to ``revision``; returns (revision before, revision after)."""
    before = current_revision(engine)
    try:
        with write_transaction(engine) as conn:
            command.upgrade(alembic_config(conn), revision)
    except SQLAlchemyError as exc:
        raise StoreError(
            f"database {engine.url.render_as_string(hide_password=True)}: migration failed: {exc}"
        ) from exc
    return before, current_revision(engine) or ""
