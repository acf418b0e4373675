"""Docs that cannot drift: every command and every setting is in the README."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer.main

from vigil.cli import app
from vigil.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

README = (ROOT / "README.md").read_text()


def _command_paths(group: typer.Typer, prefix: str = "vigil") -> list[str]:
    click_group = typer.main.get_command(group)
    out: list[str] = []

    def walk(cmd, path: str) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, f"{path} {name}")
        else:
            out.append(path)

    walk(click_group, prefix)
    return out


def test_the_cli_has_the_commands_the_issues_ask_for() -> None:
    paths = set(_command_paths(app))
    for expected in ("vigil extract", "vigil ingest", "vigil events", "vigil eval", "vigil gazetteer import",
                     "vigil db upgrade", "vigil serve", "vigil export", "vigil batch", "vigil watch"):
        assert expected in paths


def test_every_command_is_in_the_readme() -> None:
    missing = [p for p in _command_paths(app) if p not in README]
    assert missing == []


def test_every_setting_is_in_the_readme() -> None:
    missing = [f.name for f in dataclasses.fields(Settings) if f"`{f.name}`" not in README]
    assert missing == []
