"""`vigil eval` end to end on the team's tiny gold files, through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli import app
from vigil.eval.gold import read_acled, read_geoparsing, read_gtd
from vigil.eval.matching import Matcher, geonames_country_names, load_attack_types, load_matching_rules
from vigil.eval.run import evaluate_events, evaluate_geoparsing

EVAL = Path(__file__).resolve().parent / "fixtures" / "eval"


@pytest.fixture(scope="module")
def env(resources, vigil_home: Path) -> dict[str, str]:
    """The CLI's environment: the session's home, whose gazetteer the `resources` fixture built."""
    return {"VIGIL_HOME": str(vigil_home), "VIGIL_CONFIG": ""}


def invoke(env: dict[str, str], *args: str):
    return CliRunner().invoke(app, ["eval", *args], env=env)


def test_events_through_the_pipeline(resources, tmp_path: Path) -> None:
    matcher = Matcher(load_matching_rules(country_names=geonames_country_names()), resources.actors)
    errors = tmp_path / "errors.jsonl"
    with errors.open("w", encoding="utf-8") as handle:
        m = evaluate_events(read_gtd(EVAL / "gtd_tiny.csv", load_attack_types()), "gtd", resources, matcher, errors=handle)
    # denominators follow from the gold file alone: 4 records; 3 with a known day; 3 with a city;
    # distances for the 3 records of specificity <= 3; injured known for 2
    assert (m["n"], m["n_date_exact"], m["n_city_acc"], m["n_within_25km"], m["n_injured_exact"]) == (4, 3, 3, 3, 2)
    assert m["n_type_acc"] == 4 and m["n_killed_exact"] == 4 and m["refused_by_ingest"] == 0
    # four short, plain reports of violence: the extractor must find every one
    assert m["detected"] == 1.0
    assert m["country_acc"] >= 0.75 and m["date_exact"] >= 2 / 3
    lines = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert all({"record", "field", "gold", "vigil", "text"} <= set(line) for line in lines)
    scored = sum(m[f"n_{k}"] for k in ("date_exact", "country_acc", "killed_exact", "type_acc"))
    hits = sum(round(m[k] * m[f"n_{k}"]) for k in ("date_exact", "country_acc", "killed_exact", "type_acc"))
    assert sum(line["field"] in ("date_exact", "country_acc", "killed_exact", "type_acc") for line in lines) == scored - hits


def test_acled_through_the_pipeline(resources) -> None:
    matcher = Matcher(load_matching_rules(country_names=geonames_country_names()), resources.actors)
    m = evaluate_events(read_acled(EVAL / "acled_tiny.csv"), "acled", resources, matcher)
    assert (m["n"], m["n_date_exact"], m["n_subtype_acc"], m["n_actor2_acc"]) == (3, 2, 3, 3)
    assert m["detected"] == 1.0
    assert m["admin1_acc"] >= 2 / 3


def test_geoparsing_through_the_geocoder(resources) -> None:
    articles = read_geoparsing(EVAL / "gwn_tiny.xml")
    m = evaluate_geoparsing(articles, resources)
    assert (m["n_articles"], m["n_toponyms"], m["misaligned_gold"]) == (1, 4, 1)
    assert m["recall"] >= 0.5  # Lyon twice and Marseille are plain city names
    given = evaluate_geoparsing(articles, resources, given_toponyms=True)
    assert given["n_exact"] == 3 and given["n_acc_161km"] == 4


def test_cli_json(env: dict[str, str]) -> None:
    result = invoke(env, "--format", "acled", str(EVAL / "acled_tiny.csv"), "--json", "--limit", "2", "--sample-seed", "3")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == "acled" and data["n"] == 2 and data["sample_seed"] == 3
    for key in ("detected", "date_exact", "type_acc", "subtype_acc", "within_25km", "killed_exact", "actor_acc"):
        assert key in data and f"n_{key}" in data
    assert data["seconds"] >= 0 and data["articles_per_s"] > 0


def test_cli_table_and_errors_file(env: dict[str, str], tmp_path: Path) -> None:
    errors = tmp_path / "miss.jsonl"
    result = invoke(env, "--format", "geoparsing", str(EVAL / "lgl_tiny.xml"), "--errors", str(errors))
    assert result.exit_code == 0, result.output
    assert "acc_161km" in result.stdout and "auc" in result.stdout and "recall" in result.stdout
    for line in errors.read_text(encoding="utf-8").splitlines():
        assert json.loads(line)["field"] in ("toponym", "toponym_km", "spurious")


def test_cli_bad_gold_file_is_one_clean_line(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("eventid,summary\n1,Gunmen attacked a village.\n", encoding="utf-8")
    result = invoke(env, "--format", "gtd", str(bad))
    assert result.exit_code == 1
    message = " ".join(result.output.split())  # rich wraps long lines on stderr
    assert "bad.csv:1: missing columns iyear" in message and "Traceback" not in message


def test_cli_usage_errors(env: dict[str, str]) -> None:
    assert invoke(env, "--format", "gtd", str(EVAL / "gtd_tiny.csv"), "--given-toponyms").exit_code == 2
    assert invoke(env, "--format", "gtd", str(EVAL / "gtd_tiny.csv"), "--sample-seed", "1").exit_code == 2
    assert invoke(env, "--format", "nonsense", str(EVAL / "gtd_tiny.csv")).exit_code == 2
