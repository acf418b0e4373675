"""Commands of the API area: ``vigil serve`` (the API and the dashboard) and ``vigil export``."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from vigil.cli_common import CONFIG_OPTION, DB_OPTION, domain_errors, err, settings_from
from vigil.errors import InputError, StoreError

if TYPE_CHECKING:
    from fastapi import FastAPI
    from sqlalchemy import Engine

    from vigil.settings import Settings

EXPORT_FORMATS = ("csv", "acled", "geojson", "parquet")


def open_engine(settings: Settings) -> Engine:
    """The database engine for ``settings.db``, migrated to the newest schema (a fresh SQLite
    file becomes an empty, browsable store)."""
    from vigil.store import open_store

    return open_store(settings.db).engine


def build_app(settings: Settings) -> FastAPI:
    """The app over ``settings.db``; with an API key, ``POST /api/articles`` codes articles with
    the real pipeline (loaded on the first request) and stores them through the same Store."""
    from vigil.api import create_app
    from vigil.api.ingest_http import make_ingest
    from vigil.pipeline import Resources
    from vigil.store import open_store

    store = open_store(settings.db)
    ingest = make_ingest(lambda: Resources.load(settings), store) if settings.api_key else None
    return create_app(settings, engine=store.engine, ingest=ingest, tiles=settings.tiles)


def app_from_env() -> FastAPI:
    """The app from the settings in the environment: the factory that uvicorn workers call."""
    from vigil.settings import load_settings

    return build_app(load_settings())


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for every interface)."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (SQLite readers do not block each other)."),
    tiles: str = typer.Option(None, help="Online tile URL template {z}/{x}/{y} drawn under the outlines (default: settings.tiles, off)."),
    config: Path = CONFIG_OPTION,
    db: str = DB_OPTION,
) -> None:
    """Serve the API and the dashboard over the database.

    Example: vigil serve --port 8000   (then open http://127.0.0.1:8000/)
    """
    import uvicorn

    with domain_errors():
        settings = settings_from(config, db)
        if tiles is not None:
            import dataclasses

            settings = dataclasses.replace(settings, tiles=tiles)
        open_engine(settings).dispose()  # fail here, with one clean line, if the database is unusable
        # Workers re-read the settings from the environment: pass on everything given here.
        os.environ["VIGIL_DB"] = settings.db
        os.environ["VIGIL_TILES"] = settings.tiles
        if config is not None:
            os.environ["VIGIL_CONFIG"] = str(config)
        err.print(f"Vigil on http://{host}:{port}/ over {settings.db}", highlight=False)
        uvicorn.run(
            "vigil.cli_api:app_from_env", factory=True, host=host, port=port, workers=workers, log_level="warning"
        )


def export(
    out: str = typer.Argument(..., help="Output file; '-' writes csv, acled or geojson to stdout."),
    format: str = typer.Option("csv", "--format", "-f", help="csv (Vigil's columns), acled (ACLED's columns), geojson or parquet."),
    date_from: str = typer.Option(None, "--from", help="First day, YYYY-MM-DD."),
    date_to: str = typer.Option(None, "--to", help="Last day, YYYY-MM-DD."),
    country: str = typer.Option(None, help="ISO alpha-2 codes or country names, comma-separated."),
    admin1: str = typer.Option(None, help="First-level regions, comma-separated."),
    event_type: str = typer.Option(None, "--type", help="ACLED event types, comma-separated."),
    actor: str = typer.Option(None, help="An actor id, or words of an actor's name."),
    q: str = typer.Option(None, "--text", help="Words in the notes, place or actor names."),
    bbox: str = typer.Option(None, help="min_lon,min_lat,max_lon,max_lat"),
    min_fatalities: int = typer.Option(None, min=0, help="Only events with at least this many killed."),
    sort: str = typer.Option("date", help="date, fatalities, country, type, reports or updated; '-' for descending."),
    config: Path = CONFIG_OPTION,
    db: str = DB_OPTION,
) -> None:
    """Export the events that match the filters.

    Example: vigil export --format acled --country NE --from 2024-01-01 events.csv
    """
    from vigil.api.filters import make_filter

    with domain_errors():
        if format not in EXPORT_FORMATS:
            raise InputError("--format", f"{format!r} is not one of {', '.join(EXPORT_FORMATS)}")
        if out == "-" and format == "parquet":
            raise InputError("OUT", "parquet is binary: give a file name, not '-'")
        f = make_filter(
            date_from=_date("--from", date_from),
            date_to=_date("--to", date_to),
            country=country,
            admin1=admin1,
            event_type=event_type,
            actor=actor,
            q=q,
            bbox=bbox,
            min_fatalities=min_fatalities,
        )
        settings = settings_from(config, db)
        n = export_events(open_engine(settings), f, format, out, sort=sort)
        err.print(f"{n} events -> {out}", highlight=False)


def _date(option: str, raw: str | None) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InputError(option, f"{raw!r} is not a date YYYY-MM-DD") from exc


def export_events(engine: Engine, f: Any, format: str, out: str, *, sort: str = "date") -> int:
    """Write the events matching ``f`` to ``out`` ('-' = stdout) in ``format``; returns the count.
    Rows stream from the database, so an export of millions of events holds one batch at a time."""
    from vigil.api import formats, queries

    def acled(conn: Any) -> Any:
        # The ACLED view's rows for each batch of ids, in the export's order.
        batch: list[str] = []
        for event in queries.iter_events(conn, f, sort=sort):
            batch.append(event["id"])
            if len(batch) >= 500:
                yield from queries.acled_rows(conn, batch)[1]
                batch = []
        if batch:
            yield from queries.acled_rows(conn, batch)[1]

    with engine.connect() as conn:
        if format == "parquet":
            schema = formats.arrow_schema(queries.EVENT_FIELDS)
            return formats.write_parquet(queries.iter_events(conn, f, sort=sort), Path(out), schema)
        handle = sys.stdout if out == "-" else _open_text(out)
        try:
            if format == "geojson":
                return formats.write_geojson(queries.iter_events(conn, f, sort=sort), handle)
            if format == "acled":
                return formats.write_csv(queries.acled_rows(conn, [])[0], acled(conn), handle)
            return formats.write_csv(list(queries.EVENT_FIELDS), queries.iter_events(conn, f, sort=sort), handle)
        finally:
            if handle is not sys.stdout:
                handle.close()


def _open_text(path: str) -> Any:
    try:
        return open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise StoreError(f"{path}: cannot write: {exc}") from exc


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("serve")(serve)
    app.command("export")(export)
