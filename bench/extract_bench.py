"""Extraction throughput: the whole coding pipeline against bare ``nlp.pipe`` on the same texts.

The baseline, measured in the same run on the same texts, is spaCy alone (``nlp.pipe``, same
batch size): the least any coder built on the model must spend. The pipeline adds triggers,
numbers, claims, attribution, dates, the geocoder and the actor dictionary. Target: ratio <= 1.5.

Corpora: the team's test articles and examples repeated to ``--articles`` (made unique by a
sentence); and, when ../shared is present, GTD summaries and ACLED notes (read for measuring
only).

    .venv/bin/python bench/extract_bench.py [--articles 600] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import pstats
import resource
import time
from pathlib import Path

from vigil.extract import extract_mentions
from vigil.ingest import make_article
from vigil.pipeline import Resources, code_articles
from vigil.settings import load_settings
from vigil.types import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "eval"


def team_corpus(n: int) -> list[Article]:
    """``n`` articles from the test fixtures and examples, each made unique by a sentence."""
    texts: list[tuple[dt.date, str]] = []
    for folder in (ROOT / "tests" / "fixtures" / "articles", ROOT / "examples"):
        for path in sorted(folder.glob("*.txt")):
            raw = path.read_text(encoding="utf-8")
            texts.append((dt.date.fromisoformat(raw[5:15]), raw[16:]))
    return [
        make_article(f"{texts[i % len(texts)][1]}\n\nReport number {i} of the day.", published=texts[i % len(texts)][0])
        for i in range(n)
    ]


def shared_corpus(n: int) -> list[Article]:
    """Up to ``n`` GTD summaries and ``n`` ACLED notes, when ../shared is present."""
    out: list[Article] = []
    for path, column in ((SHARED / "gtd" / "gtd_2021h1_dev.csv", "summary"), (SHARED / "acled" / "acled_mali_2017_2018_dev.csv", "notes")):
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as f:
            for i, row in enumerate(csv.DictReader(f)):
                if i >= n:
                    break
                if row.get(column):
                    out.append(make_article(row[column], published=None))
    return out


def measure(name: str, articles: list[Article], res: Resources, batch: int) -> None:
    texts = [a.text for a in articles]
    list(res.nlp.pipe(texts[:batch], batch_size=batch))  # warm up both paths
    for _ in code_articles(articles[:batch], res, batch_size=batch):
        pass
    start = time.perf_counter()
    docs = list(res.nlp.pipe(texts, batch_size=batch))
    bare = time.perf_counter() - start
    start = time.perf_counter()
    mentions = 0
    for _, found in code_articles(articles, res, batch_size=batch):
        mentions += len(found)
    whole = time.perf_counter() - start
    start = time.perf_counter()
    for doc, article in zip(docs, articles, strict=True):
        extract_mentions(doc, article, lexicon=res.lexicon, actors=res.actors, geocoder=res.geocoder)
    extract_only = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{name}: {len(articles)} articles, {mentions} mentions | bare nlp.pipe {bare:.2f} s "
        f"({len(articles) / bare:.0f} art/s) | whole pipeline {whole:.2f} s ({len(articles) / whole:.0f} art/s) | "
        f"extraction alone {extract_only:.2f} s | ratio whole/bare {whole / bare:.2f} (target <= 1.5) | peak RSS {rss:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=600, help="articles in the team corpus (>= 500)")
    parser.add_argument("--shared", type=int, default=500, help="GTD and ACLED texts each, when ../shared is present")
    parser.add_argument("--profile", action="store_true", help="print the 25 costliest functions of extraction")
    args = parser.parse_args()
    settings = load_settings()
    res = Resources.load(settings)
    team = team_corpus(args.articles)
    measure("team articles", team, res, settings.batch_size)
    shared = shared_corpus(args.shared)
    if shared:
        measure("GTD+ACLED texts", shared, res, settings.batch_size)
    if args.profile:
        docs = list(res.nlp.pipe([a.text for a in team], batch_size=settings.batch_size))
        prof = cProfile.Profile()
        prof.enable()
        for doc, article in zip(docs, team, strict=True):
            extract_mentions(doc, article, lexicon=res.lexicon, actors=res.actors, geocoder=res.geocoder)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
