"""Storing coded articles: mentions per second into SQLite and PostgreSQL, fusion included.

Each batch of articles is one transaction (``Store.add_articles``: the articles whole with
their mentions, claims and actors, then the fusion of their mentions into the stored events),
as ``vigil ingest`` does it (``batch_size`` articles); one article a transaction is printed too.
The mentions are synthetic copies of real mention shapes (see ``fuse_bench.py``). The
baseline, measured in the same run on the same articles, is the same transaction without the
fusion step (``fuse_now=False``): the ratio is what incremental fusion costs on top of the
writes. NLP time is not included (``bench/extract_bench.py`` measures it).

    .venv/bin/python bench/store_bench.py [--mentions 3000] [--no-postgres]
Target (issue 5): >= 500 mentions/s on both databases.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from fuse_bench import real_templates, synthesize

from vigil.store import open_store
from vigil.types import Article, Mention

PG = "postgresql://postgres@127.0.0.1:5432"


def articles_for(mentions: list[Mention]) -> list[tuple[Article, list[Mention]]]:
    """One article per synthetic report, its text the report's evidence sentence."""
    return [
        (
            Article(
                id=m.article_id,
                text=m.evidence.text,
                published=m.date.value,
                source="bench",
                origin=f"bench:{m.article_id}",
            ),
            [m],
        )
        for m in mentions
    ]


def timed_ingest(
    url: str, items: list[tuple[Article, list[Mention]]], fuse_now: bool, batch: int
) -> tuple[float, float, int]:
    """Wall seconds, this process's CPU seconds, and the events made."""
    store = open_store(url)
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(0, len(items), batch):
        store.add_articles(items[i : i + batch], fuse_now=fuse_now)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    events = store.counts()["events"]
    store.close()
    return seconds, cpu, events


def pg_database(name: str, create: bool) -> str:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]
        if create:
            conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
    return f"{PG}/{name}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mentions", type=int, default=3000)
    ap.add_argument("--no-postgres", action="store_true", help="SQLite only")
    ap.add_argument(
        "--batch", type=int, default=32, help="articles a transaction, as `vigil ingest` (batch_size)"
    )
    args = ap.parse_args()
    mentions, _truth = synthesize(args.mentions, real_templates())
    items = articles_for(mentions)
    n = sum(len(ms) for _a, ms in items)
    print(f"{len(items)} articles, {n} mentions (synthetic copies of real mention shapes)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        backends = [("SQLite", lambda tag: f"sqlite:///{Path(tmp) / tag}.db")]
        if not args.no_postgres:
            backends.append(("PostgreSQL", lambda tag: pg_database(f"vigil_bench_{os.getpid()}_{tag}", True)))
        for name, url_for in backends:
            base_s, base_cpu, _ = timed_ingest(url_for("plain"), items, False, args.batch)
            full_s, full_cpu, events = timed_ingest(url_for("fused"), items, True, args.batch)
            one_s, _one_cpu, _ = timed_ingest(url_for("single"), items, True, 1)
            print(
                f"{name:>10}: {n / full_s:6.0f} mentions/s with fusion, {args.batch} articles a transaction "
                f"(CPU {full_cpu:.1f} s; {events} events); {n / one_s:6.0f}/s one article a transaction; "
                f"{n / base_s:6.0f}/s without fusion (CPU {base_cpu:.1f} s): x{full_s / base_s:.2f} the write-only baseline",
                flush=True,
            )
        if not args.no_postgres:
            for tag in ("plain", "fused", "single"):
                pg_database(f"vigil_bench_{os.getpid()}_{tag}", False)


if __name__ == "__main__":
    main()
