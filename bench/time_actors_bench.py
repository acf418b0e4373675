"""Speed of date and actor resolution per event sentence.

Both run on every event sentence, so they must cost little next to the spaCy parse itself.
Baselines, measured in the same run on the same sentences:

- dates: ``dateparser.search.search_dates`` with the publication date as RELATIVE_BASE (the
  obvious way to find dates with the library we already ship);
- actors: one case-insensitive regex alternation of every alias, longest first (the obvious way
  to find names from a list), which does no context resolution at all;
- and the spaCy parse of the same sentences, for scale.

    .venv/bin/python bench/time_actors_bench.py [--sentences 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import time
from collections.abc import Callable

from vigil.actors import load_actors
from vigil.extract.time import find_dates
from vigil.nlp import load_nlp

PUBLISHED = dt.date(2024, 3, 23)
# Invented sentences in the shape of wire reports (none is taken from any data set).
SENTENCES = [
    "On Wednesday this week, Islamic State fighters ambushed a military convoy near the river.",
    "Gunmen on motorbikes killed 12 villagers in the north of the country on Tuesday night, officials said.",
    "JNIM claimed the attack on the army post, which left nine soldiers dead last week.",
    "The death toll from Saturday's raid on the camp rose to 18, the army said on Monday.",
    "Police fired tear gas at protesters in the capital yesterday as rioters burned tyres.",
    "Two days ago, suspected jihadists abducted a village chief and two traders.",
    "The attack on March 20, 2024 was the deadliest since the group appeared in 2019.",
    "Niger's military said its troops had killed about 30 insurgents earlier this week.",
    "Members of the Red Hand group torched a bus on the road to the border last month.",
    "A suicide bomber struck a fish market in the town on the night of Sunday to Monday.",
    "French forces and Malian soldiers patrolled the area after the ambush on 14 March.",
    "Al-Shabaab militants stormed a hotel in the port city this morning.",
]


def timed(fn: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    n = fn()
    return time.perf_counter() - start, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=2000)
    args = parser.parse_args()
    texts = [f"{SENTENCES[i % len(SENTENCES)]} Report {i}." for i in range(args.sentences)]

    nlp = load_nlp()
    t_load, _ = timed(lambda: len(load_actors()))
    actors = load_actors()
    t_parse, _ = timed(lambda: sum(1 for _ in nlp.pipe(texts, batch_size=64)))
    docs = list(nlp.pipe(texts, batch_size=64))

    t_dates, n_dates = timed(lambda: sum(len(find_dates(d, 0, len(d.text), PUBLISHED)) for d in docs))
    t_actors, n_actors = timed(lambda: sum(len(actors.find(d, 0, len(d.text), "NE")) for d in docs))

    from dateparser.search import search_dates

    base = dt.datetime.combine(PUBLISHED, dt.time(12))
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    sample = texts[: max(1, len(texts) // 10)]  # dateparser is slow: a tenth, scaled up
    t_dp, n_dp = timed(lambda: sum(len(search_dates(t, languages=["en"], settings=settings) or []) for t in sample))
    t_dp *= len(texts) / len(sample)

    aliases = sorted(
        {a for actor in actors.data.actors.values() for a in (actor.name, *actor.aliases)}, key=len, reverse=True
    )
    naive = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in aliases) + r")\b", re.IGNORECASE)
    t_re, n_re = timed(lambda: sum(len(naive.findall(t)) for t in texts))

    n = len(texts)
    print(f"sentences: {n}; actor dictionary loaded in {t_load * 1000:.0f} ms ({len(actors)} actors)")
    print(f"spaCy parse (scale):        {t_parse / n * 1e6:8.1f} us/sentence")
    print(f"find_dates:                 {t_dates / n * 1e6:8.1f} us/sentence  ({n_dates} dates)")
    print(f"  baseline search_dates:    {t_dp / n * 1e6:8.1f} us/sentence  ({n_dp} dates in the sample)")
    print(f"  ratio to baseline:        {t_dates / t_dp:8.3f}   share of the parse: {t_dates / t_parse:.3f}")
    print(f"ActorDictionary.find:       {t_actors / n * 1e6:8.1f} us/sentence  ({n_actors} references)")
    print(f"  baseline alias regex:     {t_re / n * 1e6:8.1f} us/sentence  ({n_re} matches, no context)")
    print(f"  ratio to baseline:        {t_actors / t_re:8.3f}   share of the parse: {t_actors / t_parse:.3f}")


if __name__ == "__main__":
    main()
