"""The `vigil` command line: one Typer app; each area registers its commands from its own
``cli_*`` module, so the app stays thin over importable functions.

Conventions: data on stdout, messages on stderr, exit 0 when everything went through, 1 when
some input failed (the rest went on), 2 for usage errors; ``-v``/``-vv`` for logging.
"""

from __future__ import annotations

import logging
import sys

import typer

from vigil import __version__

app = typer.Typer(
    name="vigil",
    help="Code news reports of political violence into a geocoded, source-traced event dataset.\n\n"
    "Example: vigil ingest examples/ && vigil events",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vigil {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="More log output (-v info, -vv debug)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


def _register_all() -> None:
    from vigil import cli_api, cli_batch, cli_eval, cli_extract, cli_geo, cli_store

    for module in (cli_extract, cli_store, cli_geo, cli_eval, cli_batch, cli_api):
        module.register(app)


_register_all()


def main() -> None:
    app()
