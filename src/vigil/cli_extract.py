"""Commands of the extract area: ``vigil extract FILE|-``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from vigil.cli_common import CONFIG_OPTION, domain_errors, err, settings_from
from vigil.errors import InputError
from vigil.types import Article, to_jsonable

PROGRESS_FROM = 5  # articles: below this a bar only flickers


def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (read recursively) or - for stdin.")],
    config: Path | None = CONFIG_OPTION,
    background: bool = typer.Option(True, "--background/--no-background", help="Also print background mentions (background=true)."),
) -> None:
    """Print the mentions found in articles, one JSON object per line on stdout.

    Reads the reference text format (`date YYYY-MM-DD` then the text), JSONL, JSON, CSV, HTML
    and Parquet. Each mention carries its type, date, place, actors, claims and the character
    span of every field. An input that cannot be read gets one line on stderr naming it; the
    others go on, and the exit status is 1.

    Example: vigil extract examples/mali-mopti-ambush-2025-02-14.txt | jq .sub_event_type
    """
    from vigil.ingest import read_inputs
    from vigil.pipeline import Resources, code_articles

    with domain_errors():
        settings = settings_from(config)
        articles: list[Article] = []
        failed = 0
        for item in read_inputs(paths, max_bytes=int(settings.max_file_mb * 1024 * 1024)):
            if isinstance(item, InputError):
                failed += 1
                err.print(f"[red]error:[/red] {escape(f'{item.where}: {item.problem}')}", markup=True, highlight=False, soft_wrap=True)
            else:
                articles.append(item)
        if articles:
            res = Resources.load(settings)
            coded = code_articles(articles, res, batch_size=settings.batch_size)
            for mention_line in _lines(coded, len(articles), background):
                sys.stdout.write(mention_line + "\n")
            sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


def _lines(coded: Iterator[tuple[Article, list]], total: int, background: bool) -> Iterator[str]:
    """JSON lines of the mentions, with a progress bar on stderr for more than a few articles."""
    if total < PROGRESS_FROM:
        for _, mentions in coded:
            yield from (json.dumps(to_jsonable(m), ensure_ascii=False) for m in mentions if background or not m.background)
        return
    with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("extract", total=total)
        for _, mentions in coded:
            bar.advance(task)
            yield from (json.dumps(to_jsonable(m), ensure_ascii=False) for m in mentions if background or not m.background)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("extract")(extract)
