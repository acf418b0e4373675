"""`vigil export` over the hand-written store: every format, filters, stdout, and clear errors."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api_support import fresh_pg_database, pg_available, populate
from vigil.cli import app

ACLED_FIRST = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type"]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('export-db') / 'events.db'}"
        populate(url)
        yield url
        return
    if not pg_available():
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not running")
    # Streams through a server-side cursor on PostgreSQL while the ACLED rows are read.
    with fresh_pg_database() as url:
        populate(url)
        yield url


def run(db: str, *args: str) -> Any:
    result = CliRunner().invoke(app, ["export", "--db", db, *args])
    return result


def test_acled_csv_to_stdout_with_filters(db: str) -> None:
    result = run(db, "--format", "acled", "--country", "NE,BF", "--sort", "-fatalities", "-")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[:6] == ACLED_FIRST
    assert [(r["country"], r["fatalities"]) for r in rows] == [("Burkina Faso", "30"), ("Niger", "12")]


def test_vigil_csv_has_the_api_fields(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = run(db, "--format", "csv", "--from", "2023-01-01", "--to", "2023-06-30", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["event_date"] for r in rows] == ["2023-01-08", "2023-06-08"]
    assert {"id", "fatalities_low", "fatalities_high", "n_reports", "latitude"} <= set(rows[0])


def test_geojson_export_is_a_feature_collection(db: str) -> None:
    result = run(db, "--format", "geojson", "--type", "Protests", "-")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    (feature,) = body["features"]
    assert feature["geometry"]["coordinates"] == [-8.0, 12.65]
    assert "<script" not in result.stdout and "window.pwned" in result.stdout


def test_parquet_export_keeps_types(db: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "events.parquet"
    result = run(db, "--format", "parquet", "--min-fatalities", "1", str(out))
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == 3
    assert str(table.schema.field("event_date").type) == "date32[day]"
    assert sorted(table.column("fatalities").to_pylist()) == [4, 12, 30]


def test_empty_selection_still_writes_a_header(db: str) -> None:
    result = run(db, "--format", "acled", "--country", "ZZ", "-")
    assert result.exit_code == 0 and result.stdout.startswith("event_id_cnty,event_date")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "xml", "-"], "not one of"),
        (["--format", "parquet", "-"], "binary"),
        (["--from", "June", "-"], "--from"),
        (["--bbox", "nan,0,1,1", "-"], "finite"),
        (["--bbox", "1,2", "-"], "four numbers"),
        (["--sort", "secret", "-"], "sort"),
    ],
)
def test_bad_options_are_one_clear_line(db: str, args: list[str], words: str) -> None:
    result = run(db, *args)
    assert result.exit_code == 1
    assert words in result.output and "Traceback" not in result.output
