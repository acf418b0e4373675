"""Commands of the batch area: `vigil batch` (Dask) and `vigil watch` (news feeds)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from vigil.cli_common import CONFIG_OPTION, DB_OPTION, domain_errors, err, settings_from


def _batch(
    inputs: Annotated[list[str], typer.Argument(help="Files or folders of articles (.txt, .jsonl[.gz], .json, .csv, .parquet, .html).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder: partitions/ (Parquet) and done-markers go here.")],
    workers: Annotated[int, typer.Option("--workers", "-w", help="Worker processes of the local Dask cluster (default: one per core).")] = 0,
    scheduler: Annotated[str, typer.Option("--scheduler", help="Address of an existing Dask scheduler, e.g. tcp://10.0.0.5:8786.")] = "",
    chunk_size: Annotated[int, typer.Option("--chunk-size", help="Articles per partition.")] = 500,
    no_store: Annotated[bool, typer.Option("--no-store", help="Only write the Parquet partitions; do not fill the database.")] = False,
    db: str | None = DB_OPTION,
    config: Path | None = CONFIG_OPTION,
) -> None:
    """Code many articles on a Dask cluster: partitions to Parquet, then into the database.

    A re-run skips the partitions that are done and the articles already stored. A partition
    that fails after two retries is reported and the command exits 1; re-run to try it again.

    Example: vigil batch corpus/ news.jsonl.gz --out run1/ --workers 2 --db sqlite:///vigil.db
    """
    from vigil.batch import run_batch

    if workers and scheduler:
        err.print("[red]error:[/red] give --workers (a local cluster) or --scheduler (an existing one), not both", soft_wrap=True)
        raise typer.Exit(2)
    with domain_errors():
        settings = settings_from(config, db)
        columns = (TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err, transient=False) as bar:
            tasks = {name: bar.add_task(name, total=0) for name in ("read", "coded", "stored")}

            def progress(stage: str, n: int) -> None:
                if stage == "read":
                    # The total is known only as the reader advances: every stage counts to it.
                    for task in tasks.values():
                        bar.update(task, total=(bar.tasks[task].total or 0) + n)
                bar.advance(tasks[stage], n)

            report = run_batch(
                inputs, out, settings, workers=workers or None, scheduler=scheduler or None,
                chunk_size=chunk_size, store=not no_store, progress=progress,
            )  # fmt: skip
    for e in report.input_errors:
        err.print(f"[yellow]skipped[/yellow] {escape(str(e))}", highlight=False, soft_wrap=True)
    for where, problem in report.coding_errors:
        err.print(f"[yellow]not coded[/yellow] {escape(f'{where}: {problem}')}", highlight=False, soft_wrap=True)
    for number, attempts in sorted(report.retried.items()):
        err.print(f"partition {number:05d} succeeded on attempt {attempts}", highlight=False, soft_wrap=True)
    for number, problem in sorted(report.failed.items()):
        err.print(f"[red]failed[/red] partition {number:05d}: {escape(str(problem))}", highlight=False, soft_wrap=True)
    peak = max(report.peak_rss_mb.values(), default=0.0)
    err.print(
        f"{report.articles} articles in {report.partitions} partitions ({report.skipped} done before, "
        f"{report.coded} coded, {len(report.failed)} failed); {report.duplicates} duplicate texts, "
        f"{len(report.input_errors)} unreadable; stored {report.stored} new, {report.already_stored} already "
        f"stored; peak worker memory {peak:.0f} MB",
        highlight=False,
        soft_wrap=True,
    )
    if not report.ok:
        raise typer.Exit(1)


def _watch(
    feeds_file: Annotated[Path, typer.Argument(help="A text file: one RSS/Atom feed URL a line, # comments.")],
    interval: Annotated[float, typer.Option("--interval", "-i", help="Seconds between two polls.")] = 900.0,
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit (for cron or a systemd timer).")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for a server before giving up.")] = 10.0,
    host_delay: Annotated[float, typer.Option("--host-delay", help="Seconds between two requests to one site.")] = 2.0,
    db: str | None = DB_OPTION,
    config: Path | None = CONFIG_OPTION,
) -> None:
    """Poll news feeds; fetch, code and store each new article (skips what is stored already).

    Dead feeds, server errors, slow pages and pages without article text are logged and skipped;
    the links seen are kept in the database, so a restart never stores an article twice.

    Example: vigil watch feeds.txt --interval 600 --db sqlite:///vigil.db
    """
    from vigil.pipeline import Resources
    from vigil.watch import PoliteFetcher, Watcher, read_feeds_file

    with domain_errors():
        settings = settings_from(config, db)
        feeds = read_feeds_file(feeds_file)
        fetcher = PoliteFetcher(timeout=timeout, host_delay=host_delay, max_bytes=int(settings.max_file_mb * 1024 * 1024))
        watcher = Watcher(feeds, settings, Resources.load(settings), fetcher=fetcher)
        try:
            for report in watcher.run(interval, once=once):
                err.print(
                    f"poll: {report.feeds} feeds ({report.dead_feeds} skipped), {report.entries} entries, "
                    f"{report.stored} stored, {report.duplicates} duplicates, {report.seen} seen before, "
                    f"{report.rejected} rejected, {report.retry} to retry",
                    highlight=False,
                    soft_wrap=True,
                )
        except KeyboardInterrupt:
            err.print("stopped")
        finally:
            watcher.close()


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("batch")(_batch)
    app.command("watch")(_watch)
