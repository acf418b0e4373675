"""`vigil ingest`, `vigil events`, `vigil db upgrade` and `vigil check` as a user runs them, in
real processes: a SIGKILL in the middle of a batch then a re-run gives the same database as
one clean run (SQLite and PostgreSQL); two processes on one SQLite file lose and double nothing."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from fixtures.fusion.dbs import db_url, pg_database  # noqa: F401  (fixtures)
from vigil.store import schema as s
from vigil.store.engine import head_revision, make_engine

ARTICLES = Path(__file__).parent / "fixtures" / "fusion" / "articles"
VIGIL = str(Path(sys.executable).parent / "vigil")
# Columns that say when, not what: they differ between any two runs.
# (rejections.id is a counter: its values depend on how many runs tried.)
VOLATILE = {"ingested_at", "updated_at", "at", "rejections.id"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def env(resources, settings) -> dict[str, str]:
    """The environment for `vigil` subprocesses: the test session's home, whose gazetteer the
    `resources` fixture has already built, and one article per batch so a kill lands mid-batch."""
    return {**os.environ, "VIGIL_HOME": settings.home, "VIGIL_BATCH_SIZE": "1"}


def run(args: list[str], env: dict[str, str], **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([VIGIL, *args], env=env, capture_output=True, text=True, timeout=300, **kw)


def dump(url: str) -> dict[str, list[tuple]]:
    """Every row of every table but the timestamps, sorted: two databases with the same
    content give the same dump, whatever the backend."""
    engine = make_engine(url)
    out = {}
    with engine.connect() as conn:
        for table in s.metadata.sorted_tables:
            cols = [c for c in table.c if c.name not in VOLATILE and f"{table.name}.{c.name}" not in VOLATILE]
            out[table.name] = sorted((tuple(r) for r in conn.execute(select(*cols))), key=repr)
    engine.dispose()
    return out


def count(url: str, table: Any) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> dict[str, list[tuple]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('clean') / 'clean.db'}"
    done = run(["ingest", str(ARTICLES), "--db", url], env)
    assert done.returncode == 0, done.stderr
    return dump(url)


def test_sigkill_mid_batch_then_rerun_equals_one_clean_run(db_url, env, clean) -> None:  # noqa: F811
    total = len(list(ARTICLES.glob("*.txt")))
    proc = subprocess.Popen(
        [VIGIL, "ingest", str(ARTICLES), "--db", db_url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stored = 0
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            stored = count(db_url, s.articles)
        except Exception:  # the schema is being created by the migration: not there yet
            stored = 0
        if stored >= 3:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    assert 3 <= count(db_url, s.articles) < total
    again = run(["ingest", str(ARTICLES), "--db", db_url], env)
    assert again.returncode == 0, again.stderr
    assert "already stored" in again.stderr
    assert dump(db_url) == clean


def test_two_processes_on_one_sqlite_file_lose_and_double_nothing(tmp_path, env, clean) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    procs = [
        subprocess.Popen(
            [VIGIL, "ingest", str(ARTICLES), "--db", url],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _out, err in results]
    got = dump(url)
    for table in ("articles", "mentions", "claims", "mention_actors", "actors", "places"):
        assert got[table] == clean[table], table
    members = [(r[0], r[1]) for r in got["event_mentions"]]
    assert len(members) == len(set(members)) == len(clean["event_mentions"])


def test_ingest_reports_bad_inputs_and_a_second_run_adds_nothing(tmp_path, env) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ARTICLES / "konduga-1.txt", folder)
    shutil.copy(ARTICLES / "bama-airstrike.txt", folder)
    (folder / "empty.txt").write_text("")
    (folder / "nodate.txt").write_text("Gunmen attacked a village, killing three people.\n")
    url = f"sqlite:///{tmp_path / 'v.db'}"
    first = run(["ingest", str(folder), "--db", url], env)
    assert first.returncode == 1
    lines = first.stderr.splitlines()
    assert any("empty.txt" in line for line in lines) and any("nodate.txt" in line for line in lines)
    assert "stored 2 new article(s)" in first.stderr
    assert count(url, s.rejections) == 2
    second = run(
        ["ingest", str(folder / "konduga-1.txt"), str(folder / "bama-airstrike.txt"), "--db", url], env
    )
    assert second.returncode == 0
    assert "nothing new: 2 article(s) already stored" in second.stderr
    assert count(url, s.articles) == 2


def test_ingest_reads_stdin(tmp_path, env) -> None:
    url = f"sqlite:///{tmp_path / 'stdin.db'}"
    done = run(["ingest", "-", "--db", url], env, input=(ARTICLES / "diffa-1.txt").read_text())
    assert done.returncode == 0, done.stderr
    assert count(url, s.events) == 1


def _cli(args: list[str], env: dict[str, str]):
    """Run a command in-process (no model to load for these), with the session's settings."""
    from typer.testing import CliRunner

    from vigil.cli import app

    return CliRunner().invoke(app, args, env={k: v for k, v in env.items() if k.startswith("VIGIL_")})


def test_events_as_table_json_and_csv(tmp_path, env) -> None:
    import csv
    import datetime as dt

    from fixtures.fusion.kit import article, mention
    from vigil.store import open_store

    url = f"sqlite:///{tmp_path / 'ev.db'}"
    day = dt.date(2024, 3, 20)
    a1 = article("Fighters ambushed soldiers near Teguey,\nkilling 23 soldiers.", day)
    a2 = article("The group said it killed 30 soldiers near Teguey.", day, "Agency B")
    with open_store(url) as store:
        store.add_article(a1, [mention(a1, date=day, claims=(("killed", 23, "soldiers", "official"),))])
        store.add_article(a2, [mention(a2, date=day, claims=(("killed", 30, "soldiers", "perpetrator"),))])
    as_json = _cli(["events", "--json", "--db", url], env)
    (event,) = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert (event["country"], event["location"], event["n_reports"]) == ("Niger", "Téguèy", 2)
    assert (event["fatalities_best"], event["fatalities_low"], event["fatalities_high"]) == (23, 23, 30)
    rows = list(csv.DictReader(_cli(["events", "--csv", "--db", url], env).stdout.splitlines(keepends=True)))
    assert (
        len(rows) == 1 and rows[0]["id"] == event["id"] and rows[0]["notes"].endswith("killing 23 soldiers.")
    )
    table = _cli(["events", "--db", url], env).stdout
    assert "Téguèy" in table and "23 (23–30)" in table and "1 of 1 event(s)" in table


def test_db_upgrade_and_check(tmp_path, env) -> None:
    url = f"sqlite:///{tmp_path / 'up.db'}"
    first = _cli(["db", "upgrade", "--db", url], env)
    head = head_revision()
    assert first.exit_code == 0 and f"schema none -> {head}" in first.stderr
    assert f"already at schema {head}" in _cli(["db", "upgrade", "--db", url], env).stderr
    ok = _cli(["check", "--db", url], env)
    assert ok.exit_code == 0, ok.stderr
    assert [line.split(" ")[0] for line in ok.stderr.splitlines()] == ["[ok]", "[ok]", "[ok]"]
    bad = _cli(["check", "--db", f"sqlite:///{tmp_path}/nowhere/x.db"], env)
    assert bad.exit_code == 1 and "[FAIL] database" in bad.stderr and "fix:" in bad.stderr
