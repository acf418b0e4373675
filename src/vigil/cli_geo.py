"""Commands of the geo area: `vigil gazetteer build-default|import|download|info`."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from vigil.cli_common import CONFIG_OPTION, domain_errors, err, settings_from
from vigil.geo.download import GEONAMES_DUMP

gazetteer_app = typer.Typer(help="Build, import into and inspect the gazetteer index.\n\n"
                            "Example: vigil gazetteer import NE.zip admin1CodesASCII.txt",
                            no_args_is_help=True)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                    console=err, transient=True)


def _advance(bar: Progress, task: TaskID, done: int, total: int) -> None:
    bar.update(task, completed=done, total=total or None)


def _import(paths: list[Path], gazetteer: Path) -> None:
    from vigil.geo import ensure_gazetteer
    from vigil.geo.importer import Writer, import_file

    ensure_gazetteer(gazetteer)
    writer = Writer(gazetteer)
    try:
        with _progress() as bar:
            for path in paths:
                task = bar.add_task(f"importing {path.name}", total=None)
                report = import_file(writer, path, functools.partial(_advance, bar, task))
                bar.remove_task(task)
                err.print(f"{report.source}: {report.rows:,} {report.kind} rows imported into {gazetteer}")
    finally:
        writer.close()


@gazetteer_app.command("build-default")
def build_default_cmd(
    force: bool = typer.Option(False, "--force", help="Rebuild even if the default data is there."),
    config: Path | None = CONFIG_OPTION,
) -> None:
    """Build the default gazetteer (offline, from installed packages) at the configured path.

    Example: vigil gazetteer build-default --force
    """
    from vigil.geo import ensure_gazetteer
    from vigil.geo.default import build_default

    with domain_errors():
        path = settings_from(config).gazetteer_path
        if force:
            build_default(path)
        else:
            ensure_gazetteer(path)
        err.print(f"default gazetteer ready at {path}")


@gazetteer_app.command("import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="GeoNames files: XX.txt/.zip, allCountries.zip, citiesN.txt/.zip, "
                                                "admin1CodesASCII.txt, admin2Codes.txt, countryInfo.txt.")],
    config: Path | None = CONFIG_OPTION,
) -> None:
    """Import GeoNames dump files into the gazetteer; each file is all-or-nothing.

    Example: vigil gazetteer import NE.zip ML.zip admin2Codes.txt
    """
    with domain_errors():
        _import(files, settings_from(config).gazetteer_path)


@gazetteer_app.command("download")
def download_cmd(
    codes: Annotated[list[str], typer.Argument(help="Country codes (NE, ML) or file names (cities15000, admin2Codes).")],
    base_url: Annotated[str, typer.Option("--base-url", help="Where the dump files are served.")] = GEONAMES_DUMP,
    keep: Annotated[Path | None, typer.Option("--keep", help="Keep the downloaded files in this folder.")] = None,
    config: Path | None = CONFIG_OPTION,
) -> None:
    """Download GeoNames dump files and import them.

    Example: vigil gazetteer download NE ML BF cities15000
    """
    from vigil.geo.download import download

    with domain_errors(), tempfile.TemporaryDirectory() as tmp:
        folder = keep or Path(tmp)
        paths = []
        with _progress() as bar:
            for code in codes:
                task = bar.add_task(f"downloading {code}", total=None)
                paths.append(download(code, folder, base_url, on_progress=functools.partial(_advance, bar, task)))
                bar.remove_task(task)
        _import(paths, settings_from(config).gazetteer_path)


@gazetteer_app.command("info")
def info_cmd(config: Path | None = CONFIG_OPTION) -> None:
    """What the gazetteer holds: sources, row counts, countries.

    Example: vigil gazetteer info
    """
    from vigil.geo import Gazetteer

    with domain_errors():
        path = settings_from(config).gazetteer_path
        gaz = Gazetteer(path)
        try:
            typer.echo(f"gazetteer: {path}")
            for name, kind, rows, loaded in gaz.sources():
                typer.echo(f"source: {name} ({kind}, {rows:,} rows, {loaded})")
            for what, count in gaz.counts().items():
                typer.echo(f"{what}: {count:,}")
            typer.echo("most places: " + ", ".join(f"{cc} {n:,}" for cc, n in gaz.places_per_country()))
        finally:
            gaz.close()


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.add_typer(gazetteer_app, name="gazetteer")
