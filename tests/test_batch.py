"""`vigil batch` on a real Dask LocalCluster of two worker processes, the real pipeline and real
SQLite: the same database as `vigil ingest`, retries of a failing partition, re-runs doing no
work. The corpus is invented (``fixtures/batch/corpus.py``) plus a few files written here. A
partition fails for a real reason: its output path is blocked (``fixtures/batch/faults.py``)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from fixtures.batch.corpus import write_jsonl
from fixtures.batch.faults import KillOnStart, UnblockOnError, block
from vigil.batch import run_batch
from vigil.batch_io import Layout
from vigil.cli import app
from vigil.store.engine import make_engine

pytestmark = pytest.mark.slow

N_ARTICLES = 30  # plus two .txt files, one duplicate line and one bad record
CHUNK = 8  # so 4 partitions: 0-7, 8-15, 16-23, 24-31

# Columns that record when a row was written, not what it says.
VOLATILE = {"ingested_at", "updated_at", "created_at", "at"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    jsonl = write_jsonl(root / "reports.jsonl", N_ARTICLES)
    lines = jsonl.read_text().splitlines()
    # A repeated record (same text) and a record without text, to check they are handled as ingest does.
    jsonl.write_text("\n".join([*lines, lines[3], json.dumps({"title": "no text here"})]) + "\n")
    folder = root / "desk"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "date 2024-02-10 Police fired tear gas at hundreds of protesters in Niamey on Friday who were "
        "demanding the release of a journalist, witnesses said. Several people were hurt.\n"
    )
    (folder / "b.txt").write_text(
        "date 2024-02-12 Suspected jihadists killed eleven civilians in an attack on a village near "
        "Mopti in central Mali on Sunday, a local official said. The attackers burned the granaries.\n"
    )
    return root


@pytest.fixture(scope="module")
def client(settings) -> Iterator[object]:
    from vigil.batch import connect
    from vigil.geo import ensure_gazetteer

    ensure_gazetteer(settings.gazetteer_path)
    with connect(workers=2) as c:
        yield c


def _inputs(corpus: Path) -> list[str]:
    return [str(corpus / "reports.jsonl"), str(corpus / "desk")]


def dump(db: str) -> dict[str, list[tuple[object, ...]]]:
    """The coded content of a database: events, mentions, claims and what hangs off events."""
    engine = make_engine(db)
    out: dict[str, list[tuple[object, ...]]] = {}
    try:
        with engine.connect() as conn:
            meta = sa.MetaData()
            meta.reflect(conn)
            for name in ("articles", "events", "mentions", "claims", "mention_actors", "event_mentions",
                         "event_fatalities", "event_actors"):  # fmt: skip
                table = meta.tables[name]
                cols = [c for c in table.columns if c.name not in VOLATILE]
                rows = conn.execute(sa.select(*cols)).all()
                out[name] = sorted((tuple(r) for r in rows), key=repr)
    finally:
        engine.dispose()
    return out


@pytest.fixture(scope="module")
def ingested(corpus: Path, settings, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The reference: `vigil ingest` on the same inputs."""
    db = f"sqlite:///{tmp_path_factory.mktemp('ingest') / 'ref.db'}"
    result = CliRunner().invoke(app, ["ingest", *_inputs(corpus), "--db", db], env={"VIGIL_HOME": settings.home})
    assert result.exit_code == 1, result.output  # the record without text fails, the rest goes on
    return db


def same_tables(got: dict[str, list[tuple[object, ...]]], want: dict[str, list[tuple[object, ...]]]) -> None:
    """Table by table, so that a failure names the table and the rows that differ."""
    assert got.keys() == want.keys()
    for name in want:
        extra = [r for r in got[name] if r not in want[name]]
        missing = [r for r in want[name] if r not in got[name]]
        assert (name, extra, missing) == (name, [], []) and got[name] == want[name]


@contextlib.contextmanager
def registered(client, plugin) -> Iterator[None]:
    """``plugin`` (a WorkerPlugin of ``fixtures.batch.faults``) on every worker, for the block."""
    client.register_plugin(plugin, name=plugin.name)
    try:
        yield
    finally:
        client.unregister_worker_plugin(plugin.name)


def unblocked_on_error(client, paths: list[Path]) -> contextlib.AbstractContextManager[None]:
    """``paths`` are removed by the worker where a task first errs."""
    return registered(client, UnblockOnError(paths))


def _settings(settings, tmp_path: Path, name: str = "batch.db"):
    return dataclasses.replace(settings, db=f"sqlite:///{tmp_path / name}")


def test_batch_gives_the_database_of_ingest(corpus: Path, client, ingested: str, settings, tmp_path: Path) -> None:
    s = _settings(settings, tmp_path)
    report = run_batch(_inputs(corpus), tmp_path / "out", s, client=client, chunk_size=CHUNK)
    assert (report.partitions, report.coded, report.skipped, report.articles) == (4, 4, 0, N_ARTICLES + 2)
    assert report.duplicates == 1 and len(report.input_errors) == 1 and not report.failed
    assert "no 'text' field" in report.input_errors[0].problem
    assert report.stored == N_ARTICLES + 2
    batch, ref = dump(s.db), dump(ingested)
    assert len(ref["events"]) > 5 and len(ref["claims"]) > 5  # the comparison is about something
    same_tables(batch, ref)
    assert sorted(p.name for p in (tmp_path / "out/partitions/mentions").iterdir()) == [
        f"part-{n:05d}.parquet" for n in range(4)
    ]
    # Both worker processes took partitions, and each reported its peak memory.
    assert len(report.peak_rss_mb) == 2 and min(report.peak_rss_mb.values()) > 50

    # A re-run of the same command does no work: nothing coded, nothing stored, no attempt made.
    attempts = {p.name: p.stat().st_size for p in (tmp_path / "out/partitions/attempts").iterdir()}
    again = run_batch(_inputs(corpus), tmp_path / "out", s, client=client, chunk_size=CHUNK)
    assert (again.coded, again.skipped, again.stored, again.already_stored) == (0, 4, 0, N_ARTICLES + 2)
    assert {p.name: p.stat().st_size for p in (tmp_path / "out/partitions/attempts").iterdir()} == attempts
    same_tables(dump(s.db), ref)

    # Into a new database from the same output folder: the partitions are read, not coded again.
    s2 = _settings(settings, tmp_path, "second.db")
    third = run_batch(_inputs(corpus), tmp_path / "out", s2, client=client, chunk_size=CHUNK)
    assert (third.coded, third.skipped, third.stored) == (0, 4, N_ARTICLES + 2)
    same_tables(dump(s2.db), ref)


def test_a_partition_that_fails_once_is_retried(corpus: Path, client, ingested: str, settings, tmp_path: Path) -> None:
    s = _settings(settings, tmp_path)
    layout = Layout(tmp_path / "out/partitions")
    blocked = block(layout, 1)
    with unblocked_on_error(client, [blocked]):
        report = run_batch(_inputs(corpus), tmp_path / "out", s, client=client, chunk_size=CHUNK)
    assert not report.failed and report.retried == {1: 2} and report.coded == 4
    assert json.loads(layout.marker(1).read_text())["attempts"] == 2
    assert layout.mentions(1).is_file() and not list(layout.root.rglob("*.tmp"))
    same_tables(dump(s.db), dump(ingested))


def test_a_partition_whose_worker_dies_is_coded_by_another(
    corpus: Path, client, ingested: str, settings, tmp_path: Path
) -> None:
    s = _settings(settings, tmp_path)
    flag = tmp_path / "killed.pid"
    with registered(client, KillOnStart("vigil-part-00002-", flag)):
        report = run_batch(_inputs(corpus), tmp_path / "out", s, client=client, chunk_size=CHUNK)
    killed = int(flag.read_text())  # a worker did die when partition 2 started on it
    assert not report.failed and report.coded == 4 and report.stored == N_ARTICLES + 2
    marker = json.loads(Layout(tmp_path / "out/partitions").marker(2).read_text())
    assert marker["pid"] != killed
    same_tables(dump(s.db), dump(ingested))
    client.wait_for_workers(2)  # the nanny has restarted the killed one, for the next tests


def test_a_partition_that_keeps_failing_is_reported_and_coded_by_the_next_run(
    corpus: Path, client, ingested: str, settings, tmp_path: Path
) -> None:
    s = _settings(settings, tmp_path)
    layout = Layout(tmp_path / "out/partitions")
    blocked = block(layout, 2)
    report = run_batch(_inputs(corpus), tmp_path / "out", s, client=client, chunk_size=CHUNK)
    assert not report.ok and list(report.failed) == [2]
    assert "IsADirectoryError" in report.failed[2] and "reports.jsonl:17" in report.failed[2]
    assert layout.attempts(2).stat().st_size == 3  # the first try and two retries
    assert report.stored == N_ARTICLES + 2 - CHUNK  # all but the failed partition's articles
    assert not layout.marker(2).exists() and not list(layout.root.rglob("*.tmp"))
    shutil.rmtree(blocked)  # the output is writable again: the next run codes the partition
    again = run_batch(_inputs(corpus), tmp_path / "out", s, client=client, chunk_size=CHUNK)
    assert not again.failed and (again.coded, again.stored) == (1, CHUNK)
    # Partition 2 was stored after 3 and 4 here, so fusion saw another order: compare the content
    # that does not depend on order (articles, mentions, claims).
    batch, ref = dump(s.db), dump(ingested)
    for table in ("articles", "mentions", "claims", "mention_actors"):
        assert batch[table] == ref[table], table


def test_cli_on_an_existing_scheduler_with_a_partition_that_fails_once(
    corpus: Path, client, settings, tmp_path: Path
) -> None:
    address = client.scheduler.address  # type: ignore[attr-defined]
    args = ["batch", *_inputs(corpus), "--out", str(tmp_path / "out"), "--scheduler", address,
            "--chunk-size", str(CHUNK), "--db", f"sqlite:///{tmp_path / 'cli.db'}"]  # fmt: skip
    env = {"VIGIL_HOME": settings.home}
    with unblocked_on_error(client, [block(Layout(tmp_path / "out/partitions"), 0)]):
        result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 1, result.output  # the record without text is an input error
    assert "partition 00000 succeeded on attempt 2" in result.output
    assert "no 'text' field" in result.output
    assert "stored 32 new" in result.output
    result = CliRunner().invoke(app, [*args, "--workers", "2"], env=env)
    assert result.exit_code == 2 and "not both" in result.output


def test_no_scheduler_at_the_address_is_a_clear_error() -> None:
    import socket

    from vigil.batch import BatchError, connect

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with (
        pytest.raises(BatchError, match=f"cannot reach the Dask scheduler tcp://127.0.0.1:{port}"),
        connect(scheduler=f"tcp://127.0.0.1:{port}", timeout="1s"),
    ):
        pass
