"""What every command shares: the stderr console, settings, turning a VigilError into one line."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from vigil.errors import VigilError
from vigil.settings import Settings, load_settings

err = Console(stderr=True)
log = logging.getLogger("vigil")


def settings_from(config: Path | None = None, db: str | None = None) -> Settings:
    import dataclasses

    s = load_settings(config)
    return dataclasses.replace(s, db=db) if db else s


@contextlib.contextmanager
def domain_errors() -> Iterator[None]:
    """Turn a VigilError into one clean line on stderr and exit status 1."""
    try:
        yield
    except VigilError as exc:
        log.debug("error", exc_info=True)
        # soft_wrap: a long path must stay on one line, whole, for the reader to copy it
        err.print(f"[red]error:[/red] {escape(str(exc))}", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc


CONFIG_OPTION = typer.Option(None, "--config", help="A settings TOML file that overrides the shipped defaults.")
DB_OPTION = typer.Option(None, "--db", help="Database URL (default from settings: sqlite:///vigil.db).")
