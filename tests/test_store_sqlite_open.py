"""Opening a new SQLite file that another process is writing to waits for it, then works.

Switching a file to WAL needs it to itself, and SQLite refuses the switch at once ("database is
locked") instead of waiting out the busy timeout. Two `vigil ingest` runs started together on a
new file failed that way now and then: the second connected while the first held the new file."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import text

from vigil.store import open_store
from vigil.store.engine import make_engine


def test_connecting_waits_for_another_writer_then_switches_to_wal(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE scratch(x)")  # a new file, still in the rollback journal mode
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO scratch VALUES (1)")
    release = threading.Timer(0.5, lambda: other.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("SELECT count(*) FROM scratch")).scalar() == 1
    assert time.monotonic() - started >= 0.4  # it waited for the other writer
    engine.dispose()
    release.join()
    other.close()


def test_a_store_opens_on_a_file_another_process_is_creating(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE scratch(x)")
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    with open_store(f"sqlite:///{path}") as store:
        assert store.counts()["events"] == 0
    release.join()
    other.close()
