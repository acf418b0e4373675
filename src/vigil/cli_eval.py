"""Commands of the eval area: `vigil eval`."""

from __future__ import annotations

import contextlib
import json
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from vigil.cli_common import CONFIG_OPTION, domain_errors, err, settings_from


class Format(StrEnum):
    gtd = "gtd"
    acled = "acled"
    geoparsing = "geoparsing"


# Keys that say what was run, shown in the title rather than as rows.
HEAD_KEYS = {"format", "gold_file", "limit", "sample_seed", "given_toponyms"}
# Keys that are counts or timings, printed as they are rather than as shares.
PLAIN_KEYS = {"n", "n_articles", "n_toponyms", "median_km", "mean_km", "auc", "seconds", "articles_per_s",
              "load_seconds", "refused_by_ingest", "misaligned_gold"}


def render_table(result: dict[str, Any], title: str) -> Table:
    """The metrics as a table: one row per metric with its value and denominator."""
    table = Table(title=title)
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("n", justify="right")
    for key, value in result.items():
        if key in HEAD_KEYS or (key.startswith("n_") and key not in PLAIN_KEYS) or isinstance(value, (bool, str)):
            continue
        shown = "—" if value is None else f"{value}" if key in PLAIN_KEYS else f"{value:.1%}"
        denominator = result.get(f"n_{key}")
        table.add_row(key, shown, "" if denominator is None else str(denominator))
    return table


def run_eval(
    fmt: Format,
    gold_file: Path,
    *,
    limit: int | None,
    seed: int | None,
    errors_path: Path | None,
    given_toponyms: bool,
    config: Path | None,
) -> dict[str, Any]:
    """Read the gold file, load the pipeline once, score, and return the result object."""
    from vigil.eval import gold as gold_mod
    from vigil.eval.matching import Matcher, geonames_country_names, load_attack_types, load_matching_rules
    from vigil.eval.run import evaluate_events, evaluate_geoparsing
    from vigil.pipeline import Resources

    # the gold file is read first: a malformed one fails before the model is loaded
    records: list[Any]
    table = load_attack_types()
    if fmt is Format.gtd:
        records = gold_mod.read_gtd(gold_file, table)
    elif fmt is Format.acled:
        records = gold_mod.read_acled(gold_file)
    else:
        records = gold_mod.read_geoparsing(gold_file)
    records = gold_mod.sample(records, limit, seed)
    settings = settings_from(config)
    started = time.perf_counter()
    res = Resources.load(settings)
    load_seconds = time.perf_counter() - started
    table.check(res.lexicon.taxonomy)
    with contextlib.ExitStack() as stack:
        errors = stack.enter_context(errors_path.open("w", encoding="utf-8")) if errors_path else None
        if fmt is Format.geoparsing:
            metrics = evaluate_geoparsing(records, res, given_toponyms=given_toponyms,
                                          batch_size=settings.batch_size, errors=errors)
        else:
            matcher = Matcher(load_matching_rules(country_names=geonames_country_names()), res.actors)
            metrics = evaluate_events(records, fmt.value, res, matcher, batch_size=settings.batch_size, errors=errors)
    head = {"format": fmt.value, "gold_file": str(gold_file), "limit": limit, "sample_seed": seed}
    if fmt is Format.geoparsing:
        head["given_toponyms"] = given_toponyms
    return {**head, **metrics, "load_seconds": round(load_seconds, 2)}


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""

    @app.command("eval")
    def eval_command(
        gold_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The gold file (CSV or XML).")],
        fmt: Annotated[Format, typer.Option("--format", "-f", help="Gold format: gtd, acled or geoparsing (LGL/GeoWebNews XML).")],
        limit: Annotated[int | None, typer.Option("--limit", min=1, help="Score only N records (the first N, or a sample with --sample-seed).")] = None,
        sample_seed: Annotated[int | None, typer.Option("--sample-seed", help="With --limit: take a seeded random sample.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
        errors: Annotated[Path | None, typer.Option("--errors", dir_okay=False, help="Write every miss as a JSON line (field, gold, vigil, text) to FILE.")] = None,
        given_toponyms: Annotated[bool, typer.Option("--given-toponyms", help="geoparsing: resolve the gold toponym spans (measures resolution only; adds 'exact').")] = False,
        config: Path | None = CONFIG_OPTION,
    ) -> None:
        """Score Vigil against a gold file and print the metrics, each with its denominator.

        Example: vigil eval --format acled ../shared/data/eval/acled/acled_mali_2017_2018_dev.csv --limit 300 --sample-seed 1 --json
        """
        if given_toponyms and fmt is not Format.geoparsing:
            err.print("--given-toponyms applies to --format geoparsing only")
            raise typer.Exit(2)
        if sample_seed is not None and limit is None:
            err.print("--sample-seed needs --limit")
            raise typer.Exit(2)
        with domain_errors():
            result = run_eval(fmt, gold_file, limit=limit, seed=sample_seed, errors_path=errors,
                              given_toponyms=given_toponyms, config=config)
        if as_json:
            typer.echo(json.dumps(result))
        else:
            title = f"vigil eval --format {fmt.value} {gold_file.name}" + (" --given-toponyms" if given_toponyms else "")
            title += f" --limit {limit}" if limit else ""
            title += f" --sample-seed {sample_seed}" if sample_seed is not None else ""
            Console().print(render_table(result, title))
