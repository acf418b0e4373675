"""`vigil serve` wiring: the app factory its workers call, and clean failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from api_support import populate
from vigil.cli import app


def test_workers_build_the_app_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vigil.cli_api import app_from_env

    url = f"sqlite:///{tmp_path / 'events.db'}"
    populate(url)
    monkeypatch.setenv("VIGIL_DB", url)
    monkeypatch.setenv("VIGIL_TILES", "https://tiles.example.org/{z}/{x}/{y}.png")
    monkeypatch.setenv("VIGIL_API_KEY", "k")
    with TestClient(app_from_env()) as client:
        assert len(client.get("/api/events").json()["events"]) == 4
        config = client.get("/api/config").json()
        assert config["ingest"] is True and config["tiles"].startswith("https://tiles.example.org/")


def test_serve_over_an_unusable_database_is_one_clear_line(tmp_path: Path) -> None:
    # A long folder name, and one with rich markup in it: the message must keep the path whole, on one
    # line, as typed (a narrow terminal once broke it across lines; "[b]" must not vanish as markup).
    missing = tmp_path / ("a-folder-with-a-long-name-" * 4) / "[b]missing" / "x.db"
    result = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{missing}"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(missing) in lines[0] and lines[0].endswith("does not exist")
    assert "Traceback" not in result.output


def test_serve_and_export_have_help_with_an_example() -> None:
    for command in ("serve", "export"):
        result = CliRunner().invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Example: vigil" in result.output
